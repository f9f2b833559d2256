/* Exposes the encoder of the system libbrotli (libbrotlienc) to Swift as the CBrotli module. */
#ifndef CBROTLI_H
#define CBROTLI_H

#include <brotli/encode.h>

#endif /* CBROTLI_H */

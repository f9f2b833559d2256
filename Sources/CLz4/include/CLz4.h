/* Exposes the system liblz4 (block format, fast and HC compressors) to Swift as the CLz4 module. */
#ifndef CLZ4_H
#define CLZ4_H

#include <lz4.h>
#include <lz4hc.h>

#endif /* CLZ4_H */

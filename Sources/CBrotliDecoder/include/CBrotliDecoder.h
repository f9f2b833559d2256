/* Exposes the decoder of the system libbrotli (libbrotlidec) to Swift as the CBrotliDecoder
   module. Only the reader side (ParquetDecompression, used by tests) links it, so
   libparquet_writer.so does not need libbrotlidec. */
#ifndef CBROTLIDECODER_H
#define CBROTLIDECODER_H

#include <brotli/decode.h>

#endif /* CBROTLIDECODER_H */

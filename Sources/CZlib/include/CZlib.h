/* Exposes the system zlib to Swift as the CZlib module. */
#ifndef CZLIB_H
#define CZLIB_H

#include <zlib.h>

/* deflateInit2 and inflateInit2 are macros (they pass the library version and the
   z_stream size for an ABI check), which Swift cannot import; these wrappers can be. */

static inline int czlib_deflateInit2(z_streamp strm, int level, int method,
                                     int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}

static inline int czlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

#endif /* CZLIB_H */

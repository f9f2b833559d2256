/* Exposes the system libzstd to Swift as the CZstd module. */
#ifndef CZSTD_H
#define CZSTD_H

#include <zstd.h>

#endif /* CZSTD_H */

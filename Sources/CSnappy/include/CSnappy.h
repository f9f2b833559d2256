/* Exposes the C interface of the system libsnappy to Swift as the CSnappy module. */
#ifndef CSNAPPY_H
#define CSNAPPY_H

#include <stddef.h>
#include <snappy-c.h>

#endif /* CSNAPPY_H */

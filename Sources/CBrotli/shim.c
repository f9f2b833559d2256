/* SwiftPM needs at least one source file per C target; the API lives in the header. */
#include "CBrotli.h"

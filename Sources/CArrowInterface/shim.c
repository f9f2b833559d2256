/* The Arrow C interface structures are declarations only; this file gives SwiftPM a source
 * to build the target from. */
#include "CArrowInterface.h"

// Everything is static inline in include/CFileSystem.h; SwiftPM needs one source file.
#include "CFileSystem.h"

#include "CSnappy.h"

// Placeholder until its change lands.
#include "engine/status.h"

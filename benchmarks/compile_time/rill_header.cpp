// Compile-time probe: the umbrella header alone.
#include <rill/rill.hpp>

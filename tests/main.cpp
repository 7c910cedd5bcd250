// The one main() of the unit tests: every tests/**/*.cpp is linked into rill_tests.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

// The private redis-server of the docs examples that use rill::redis: the
// tests' fixture (tests/redis/server.hpp), started on a free loopback port in
// a temporary directory with nothing persisted, and stopped when the example
// ends. (A real deployment has its own server.)
#pragma once

#include "redis/server.hpp"

namespace docs {
using rill_redis_test::redis_server;
} // namespace docs

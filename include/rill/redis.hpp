/// \file
/// `rill::redis`: consumer groups on Redis Streams (through hiredis). Not
/// included by `<rill/rill.hpp>`; link the CMake target `rill::redis`
/// (`find_package(rill COMPONENTS redis)`). See docs/12-scaling-out.md.
#pragma once

#include <rill/redis/config.hpp>
#include <rill/redis/connection.hpp>
#include <rill/redis/consume.hpp>
#include <rill/redis/forward.hpp>
#include <rill/redis/range.hpp>
#include <rill/redis/xadd.hpp>

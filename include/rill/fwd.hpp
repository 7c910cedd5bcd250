/// \file
/// Version macros and forward declarations: cheap to include.
#pragma once

#include <cstddef>

/// The major version number.
#define RILL_VERSION_MAJOR 0
/// The minor version number.
#define RILL_VERSION_MINOR 1
/// The patch version number.
#define RILL_VERSION_PATCH 0
/// The version as one number: major * 10000 + minor * 100 + patch.
#define RILL_VERSION (RILL_VERSION_MAJOR * 10000 + RILL_VERSION_MINOR * 100 + RILL_VERSION_PATCH)

namespace rill {

struct err_info;
struct err_frame;
enum class exit_case;
template <class T> class stream;
template <class T> class generator;

} // namespace rill

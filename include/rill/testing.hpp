/// \file
/// The testing kit: RapidCheck generators for rill's types and streams of many
/// shapes, families of pure functions, law checkers and a resource-safety
/// checker that users run against their own functions, pipelines and
/// operators, from any test framework (each checker returns a `check_result`).
/// Link `rill::testing` (rill::rill + RapidCheck). See docs/10-laws.md. It brings
/// the operators it checks; include <rill/rill.hpp> for the rest.
///
///     #include <rill/testing.hpp>
///     namespace rt = rill::testing;
///     auto r = rt::check_monad_laws(rt::gen_stream_shape<int>(), rt::gen_int_stream_fn(), rt::gen_int_stream_fn());
///     CHECK_MESSAGE(r, r.report);
#pragma once

#include <rill/testing/check.hpp>
#include <rill/testing/functions.hpp>
#include <rill/testing/generators.hpp>
#include <rill/testing/laws.hpp>
#include <rill/testing/manual_clock.hpp>
#include <rill/testing/resources.hpp>
#include <rill/testing/show.hpp>

# The README's install: configures rill's source tree with -DBUILD_TESTING=OFF
# while doctest, RapidCheck, range-v3, Google Benchmark, TBB, hiredis and asio cannot be found
# (so the configure shows it needs tl::expected alone), installs it into a
# scratch prefix without building anything, then builds and runs a consumer of
# rill::rill against it, and checks that rill::ranges, rill::redis and
# rill::async are installed all the same (range-v3, hiredis and asio are found
# by the consumer, as they would be once installed).
# Run by CTest (install.install_only) with what common.cmake lists and
# CONSUMER_DIR, COMPONENT_CONSUMER_DIR.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

set(rill_build "${WORK_DIR}/rill-build")
run("install-only configure" "${CMAKE_COMMAND}" -S "${RILL_SOURCE_DIR}" -B "${rill_build}" ${generator_args}
    -DBUILD_TESTING=OFF
    -DCMAKE_DISABLE_FIND_PACKAGE_doctest=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_rapidcheck=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_range-v3=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_TBB=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_hiredis=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_asio=ON
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
install_rill("${rill_build}" "${WORK_DIR}/prefix")
build_and_run_consumer("${CONSUMER_DIR}" "${WORK_DIR}/consumer-build" "${WORK_DIR}/prefix")
build_and_run_consumer("${COMPONENT_CONSUMER_DIR}" "${WORK_DIR}/ranges-consumer-build" "${WORK_DIR}/prefix"
    -DRILL_COMPONENT=ranges)
build_and_run_consumer("${COMPONENT_CONSUMER_DIR}" "${WORK_DIR}/redis-consumer-build" "${WORK_DIR}/prefix"
    -DRILL_COMPONENT=redis)
build_and_run_consumer("${COMPONENT_CONSUMER_DIR}" "${WORK_DIR}/async-consumer-build" "${WORK_DIR}/prefix"
    -DRILL_COMPONENT=async)

# Every third-party library samrad uses, all from Debian 12 packages (see scripts/setup).
find_package(PkgConfig REQUIRED)
find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)
find_package(nlohmann_json 3.11 REQUIRED)
# simdjson reads the state's large JSON Lines files (base/json_line.h).
find_package(simdjson 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Xapian REQUIRED)
find_package(pugixml REQUIRED)
# libxml2's HTML parser reads .html in ingest (Debian: libxml2-dev).
find_package(LibXml2 REQUIRED)
# libzip via pkg-config: Debian 12's libzip CMake config requires the zip tools package.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(HUNSPELL REQUIRED IMPORTED_TARGET hunspell)
find_package(Threads REQUIRED)
# jemalloc for the samrad executable and the benchmarks (base/memory.h).
if(SAMRAD_JEMALLOC)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

# Xapian's config file exports variables, not a target; wrap them once here.
if(NOT TARGET samrad_xapian)
  add_library(samrad_xapian INTERFACE)
  target_include_directories(samrad_xapian SYSTEM INTERFACE ${XAPIAN_INCLUDE_DIR})
  target_link_libraries(samrad_xapian INTERFACE ${XAPIAN_LIBRARIES})
endif()

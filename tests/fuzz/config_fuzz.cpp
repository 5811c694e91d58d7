// libFuzzer target: the config loader (YAML → Config with file:line:col errors).
// load_config() reads a path, so each input is written to one scratch file per process.
// Not a check of config semantics; tests/unit/config has those.
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.h"

namespace {

/// The file each input is written to, removed when the fuzzer exits.
struct ScratchFile {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("probity-config-fuzz-" + std::to_string(getpid()) + ".yaml");
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

const std::filesystem::path& scratch_file() {
  static const ScratchFile file;
  return file.path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(scratch_file(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();  // a full /tmp would otherwise fuzz an empty file forever
  }
  auto config = probity::config::load_config(scratch_file());
  if (config) probity::config::resolve_paths(*config);
  return 0;
}

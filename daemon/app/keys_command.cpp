// `probity keys rotate`: a new pseudonym key. Alerts keep the pseudonyms they were shown
// with (stored in each alert's shown view); later alerts get pseudonyms under the new key
// and cannot be linked to earlier ones. The running daemon picks the new key up at its
// next alert. Recorded in the consultation trail.
#include <cstdio>

#include "alerts/pseudonymiser.h"
#include "app/commands.h"
#include "app/consult.h"
#include "app/setup.h"

namespace probity::app {

int keys_rotate_command(const CommonOptions& options) {
  auto config = effective_config(options);
  if (!config) return 2;
  const auto& key_file = config->alerts.email.pseudonym_key_file;
  auto id = alerts::rotate_pseudonym_key(key_file);
  if (!id) return std::fprintf(stderr, "probity: %s\n", id.error().message.c_str()), 1;
  if (auto audited = audit::record_consultation(
          trail_file(*config),
          {"keys.rotate", "pseudonym key " + *id, "nothing",
           "pseudonym key rotated; earlier pseudonyms can no longer be linked"});
      !audited)
    std::fprintf(stderr, "probity: the rotation is done but was not recorded: %s\n",
                 audited.error().message.c_str());
  std::printf("pseudonym key rotated: new key %s in %s; alerts raised from now on use it\n",
              id->c_str(), key_file.c_str());
  return 0;
}

}  // namespace probity::app

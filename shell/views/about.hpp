// Help > About.
#pragma once

#include <string>

class wxWindow;

namespace lbx::shell {
void show_about(wxWindow* parent, const std::string& engine_version);
}

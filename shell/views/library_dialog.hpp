// File > Open Library: asks for another library, a file (typed, or chosen with a file dialog) or a
// PostgreSQL library's URI, and asks the engine to switch to it (OpenLibraryRequested). Modal: it only
// waits on the user; the switch is a command the session sends.
#pragma once

#include "app/store.hpp"

#include <wx/window.h>

namespace lbx::shell {

void choose_library(wxWindow* parent, Store& store);

}  // namespace lbx::shell

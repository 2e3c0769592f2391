// `lightbox --gallery VIEW`: one view alone with fixture state and no engine (our Storybook), for
// screenshots and for working on a view without a library. `--gallery list` prints the names.
#pragma once

#include <memory>
#include <string>
#include <vector>

class wxFrame;

namespace lbx::shell {

class Store;

std::vector<std::string> gallery_views();
// Makes the view's window (shown); nullptr for an unknown name. `store` holds the fixture state.
wxFrame* show_gallery(const std::string& view, Store& store);
// The fixture state with the gallery's thumbnails in the store's cache.
std::unique_ptr<Store> make_gallery_store();

}  // namespace lbx::shell

#include "app/store.hpp"

#include <chrono>

#include <wx/image.h>

namespace lbx::shell {

Store::Store(State initial, std::size_t thumbnail_capacity)
    : state_(std::move(initial)), thumbnails_(thumbnail_capacity) {}

void Store::dispatch(const Action& action) {
    const auto started = std::chrono::steady_clock::now();
    ++depth_;
    apply(action);
    notify();
    if (--depth_ == 0) note_duration(action.index(), started);
}

std::size_t Store::dispatch_batch(const std::vector<Action>& actions, std::chrono::milliseconds budget) {
    const auto started = std::chrono::steady_clock::now();
    ++depth_;
    std::size_t done = 0;
    bool render_due = false;
    while (done < actions.size() && (done == 0 || std::chrono::steady_clock::now() - started < budget)) {
        const Action& action = actions[done++];
        apply(action);
        // A run of thumbnails renders once; any other action at once, so that views which log or act on
        // a state (the engine not responding, then restarting) see each one.
        render_due = std::holds_alternative<ThumbnailArrived>(action);
        if (!render_due) notify();
    }
    if (render_due) notify();
    if (--depth_ == 0 && done > 0) note_duration(actions[done - 1].index(), started);
    return done;
}

void Store::note_duration(std::size_t action_index, std::chrono::steady_clock::time_point started) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (ms > slowest_.ms) slowest_ = SlowestDispatch{action_index, ms};
}

void Store::notify() {
    for (const auto& listener : listeners_) listener();
}

void Store::apply(const Action& action) {
    if (const auto* t = std::get_if<ThumbnailArrived>(&action); t && t->image) {
        // The pixels were decoded on the session's thread; only the bitmap is made here.
        wxImage image(static_cast<int>(t->image->width), static_cast<int>(t->image->height),
                      const_cast<unsigned char*>(t->image->rgb.data()), true);
        put_thumbnail(t->key, wxBitmap(image));
    }
    state_ = reduce(std::move(state_), action);
    if (full_resolution_ && (!state_.open_photo || state_.open_photo->id != full_resolution_->first.photo_id)) full_resolution_.reset();
    if (on_command_) {
        for (const auto& command : state_.outbox) on_command_(command);
    }
    if (session_) {
        for (auto& command : state_.outbox) session_->send(std::move(command));
    }
    state_.outbox.clear();
}

const wxBitmap* Store::thumbnail(const ThumbKey& key) {
    if (key.size == ipc::kFullResolution) return full_resolution_ && full_resolution_->first == key ? &full_resolution_->second : nullptr;
    return thumbnails_.get(key);
}

void Store::put_thumbnail(const ThumbKey& key, const wxBitmap& bitmap) {
    if (key.size == ipc::kFullResolution) full_resolution_.emplace(key, bitmap);
    else thumbnails_.put(key, bitmap);
}

void Store::want_thumbnails(ThumbSlot slot, std::vector<ThumbKey> keys) {
    auto& mine = wanted_[static_cast<std::size_t>(slot)];
    if (mine == keys) return;
    mine = std::move(keys);
    if (!session_) return;
    std::vector<ThumbKey> all;
    for (const auto& list : wanted_) all.insert(all.end(), list.begin(), list.end());
    session_->want_thumbnails(std::move(all));
}

uint32_t grid_request_size(uint32_t cell_size) { return cell_size <= 256 ? 256 : 1024; }

}  // namespace lbx::shell

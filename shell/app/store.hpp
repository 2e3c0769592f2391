// The UI thread's side of the store: the State, the reducer, the engine session the outbox goes to,
// the LRU of thumbnail bitmaps, and the views that re-render after every action. Everything here runs
// on the UI thread; the session's actions are posted to it (ShellApp).
#pragma once

#include "model/engine_session.hpp"
#include "model/lru_cache.hpp"
#include "model/reducer.hpp"

#include <wx/bitmap.h>

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <utility>
#include <memory>
#include <vector>

namespace lbx::shell {

// Who wants thumbnails: each view says what it shows; the session gets them all, the photo view and the
// grid's preview first.
enum class ThumbSlot { photo_view, preview, grid, people, similar, count_ };

class Store {
public:
    explicit Store(State initial, std::size_t thumbnail_capacity = 400);

    const State& state() const { return state_; }
    void dispatch(const Action& action);
    // Actions that arrived together from the engine session, in order, with the views rendered once per
    // run of thumbnails: a burst of 300 thumbnails rendered after each one held the UI thread for a
    // quarter of a second (the UI bench's longest stall). Stops once `budget` is spent (after at least
    // one action), so the event loop runs between slices; returns how many it dispatched.
    std::size_t dispatch_batch(const std::vector<Action>& actions, std::chrono::milliseconds budget);
    void attach(std::unique_ptr<EngineSession> session) { session_ = std::move(session); }
    void detach() { session_.reset(); }  // joins the session's thread
    bool has_engine() const { return session_ != nullptr; }
    // Sees every command the reducer decided on (the gallery, which has no engine, prints them).
    void on_command(std::function<void(const Command&)> hook) { on_command_ = std::move(hook); }

    // A view re-renders from state() here. Returns nothing to unsubscribe: views live as long as the store's frame.
    void subscribe(std::function<void()> listener) { listeners_.push_back(std::move(listener)); }

    const wxBitmap* thumbnail(const ThumbKey& key);
    void put_thumbnail(const ThumbKey& key, const wxBitmap& bitmap);
    void want_thumbnails(ThumbSlot slot, std::vector<ThumbKey> keys);

    // The dispatch that held the UI thread longest (reducer, bitmap, views' render), for the UI bench:
    // which action a stall of the event loop came from (its index in Action).
    struct SlowestDispatch {
        std::size_t action_index = 0;
        double ms = 0;
    };
    const SlowestDispatch& slowest_dispatch() const { return slowest_; }

private:
    void apply(const Action& action);  // reduce, keep its bitmap, send its commands
    void notify();                     // the views render from the new state
    void note_duration(std::size_t action_index, std::chrono::steady_clock::time_point started);

    State state_;
    std::unique_ptr<EngineSession> session_;
    LruCache<ThumbKey, wxBitmap, ThumbKeyHash> thumbnails_;
    // The open photo at its own resolution (tens of megabytes): one at a time, apart from the LRU, and
    // dropped when the photo view shows another photo or closes.
    std::optional<std::pair<ThumbKey, wxBitmap>> full_resolution_;
    std::array<std::vector<ThumbKey>, static_cast<std::size_t>(ThumbSlot::count_)> wanted_;
    std::vector<std::function<void()>> listeners_;
    std::function<void(const Command&)> on_command_;
    SlowestDispatch slowest_;
    int depth_ = 0;  // dispatches re-entered from a listener count in the outermost one
};

// The grid asks for this size (the engine's thumbnails are 256 and 1024 by default; it answers with the
// smallest at least this large), so a slider change does not fetch everything again.
uint32_t grid_request_size(uint32_t cell_size);

}  // namespace lbx::shell

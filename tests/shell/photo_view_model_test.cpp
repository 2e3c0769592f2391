// The photo view's model: zoom steps, the slideshow, Ctrl+A, and the status bar's error line.
#include "model/readable_error.hpp"
#include "model/reducer.hpp"
#include "model/zoom.hpp"
#include "reducer_fixtures.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace lbx;
using namespace lbx::shell;
using namespace lbx::shell::test_fixtures;


TEST_CASE("zoom steps go from the fitting scale through the usual ones and back to fit", "[shell]") {
    // A 4000 px photo fitted at 25.6 %: in, the next step above it; out below it, fit again.
    CHECK(zoom_step(std::nullopt, 0.256, +1) == Approx(1.0 / 3));
    CHECK(zoom_step(std::nullopt, 0.256, +2) == Approx(0.5));
    CHECK(zoom_step(std::nullopt, 0.256, +4) == Approx(1.0));
    CHECK_FALSE(zoom_step(1.0 / 3, 0.256, -1).has_value());
    CHECK_FALSE(zoom_step(std::nullopt, 0.256, -3).has_value());  // already fitted: stays fitted
    // Up to 800 % and no further.
    CHECK(zoom_step(4.0, 0.256, +1) == Approx(8.0));
    CHECK(zoom_step(8.0, 0.256, +5) == Approx(8.0));
    // A photo smaller than the window fits at 100 %: the first step in is 150 %, back out is fit.
    CHECK(zoom_step(std::nullopt, 1.0, +1) == Approx(1.5));
    CHECK_FALSE(zoom_step(1.5, 1.0, -1).has_value());
    // A fitting scale a hair under a step does not stop on that step.
    CHECK(zoom_step(std::nullopt, 0.4999, +1) == Approx(2.0 / 3));
    CHECK(zoom_label_of(std::nullopt) == "Fit");
    CHECK(zoom_label_of(1.5) == "150 %");
}

TEST_CASE("the photo view zooms by steps and the zoom button goes between fit and 100 %", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), FocusIndex{0});
    s = reduce(std::move(s), OpenFocused{});
    REQUIRE(s.open_photo);
    s = reduce(std::move(s), ZoomBy{+1, 0.3});
    CHECK(s.open_photo->zoom == Approx(1.0 / 3));
    s = reduce(std::move(s), ZoomBy{+1, 0.3});
    CHECK(s.open_photo->zoom == Approx(0.5));
    s = reduce(std::move(s), ToggleZoom{});
    CHECK_FALSE(s.open_photo->zoom);
    s = reduce(std::move(s), ToggleZoom{});
    CHECK(s.open_photo->zoom == Approx(1.0));
    // The next photo opens whole.
    s = reduce(std::move(s), StepPhoto{+1});
    CHECK_FALSE(s.open_photo->zoom);
}

TEST_CASE("a slideshow goes full screen, steps on each tick, and ends at the last photo or with Esc", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), SetSlideshow{true});
    CHECK_FALSE(s.slideshow);  // no photo open: nothing to show
    s = reduce(std::move(s), FocusIndex{1});
    s = reduce(std::move(s), OpenFocused{});
    s = reduce(std::move(s), ZoomBy{+2, 0.5});
    s.outbox.clear();
    s = reduce(std::move(s), SetSlideshow{true});
    CHECK(s.slideshow);
    CHECK(s.full_screen);
    CHECK_FALSE(s.open_photo->zoom);  // each photo whole
    s = reduce(std::move(s), SlideshowTick{});
    CHECK(s.open_photo->index == 2);
    CHECK(s.focused == 2u);
    CHECK(commands_of<ipc::GetPhoto>(s).size() == 1);
    s = reduce(std::move(s), SlideshowTick{});  // the last photo: the show ends on it
    CHECK_FALSE(s.slideshow);
    CHECK(s.open_photo->index == 2);
    CHECK(s.full_screen);  // left to the user (Esc)

    s = reduce(std::move(s), StepPhoto{-2});
    s = reduce(std::move(s), SetSlideshow{true});
    s = reduce(std::move(s), SetFullScreen{false});  // Esc
    CHECK_FALSE(s.slideshow);
    s = reduce(std::move(s), SetSlideshow{true});
    s = reduce(std::move(s), ClosePhoto{});
    CHECK_FALSE(s.slideshow);
    s = reduce(std::move(s), SlideshowTick{});  // a late tick does nothing
    CHECK_FALSE(s.open_photo);
}

TEST_CASE("Ctrl+A selects every match, asking for the pages not loaded yet", "[shell]") {
    State s = with_results(1200);  // pages of 500: only the first is loaded
    s = reduce(std::move(s), SelectAll{});
    CHECK(s.selection.pending_range == std::pair<uint64_t, uint64_t>(0, 1199));
    CHECK(commands_of<ipc::Query>(s).size() == 2);  // pages 1 and 2
    State small = with_results(3);
    small = reduce(std::move(small), SelectAll{});
    CHECK(small.selection.ids == std::set<std::string>{"id0", "id1", "id2"});
    State none = with_results(0);
    none = reduce(std::move(none), SelectAll{});
    CHECK(none.selection.ids.empty());
}

TEST_CASE("errors in the status bar are one readable line", "[shell]") {
    CHECK(readable_error("cannot decode 'a.jpg':\n  truncated\tat byte 40") == "cannot decode 'a.jpg': truncated at byte 40");
    CHECK(readable_error("bad marker: ff d8 ff e0 00 10 4a 46 49 46 00 01 at 0") == "bad marker: [12 bytes] at 0");
    CHECK(readable_error("tag 0x0110 0x0002 value") == "tag 0x0110 0x0002 value");  // two words, not a dump
    CHECK(readable_error("data 0x00 0x01 0x02 0x03 0x04 0x05 0x06 0x07") == "data [8 bytes]");
    const std::string id = "3f2a9c0d11e4b7a8";  // a photo id is kept
    CHECK(readable_error("no photo " + id) == "no photo " + id);
    CHECK(readable_error("blob " + std::string(200, 'a')) == "blob [100 bytes]");
    CHECK(readable_error(std::string("bell\x07 and \xff\xfe invalid")) == "bell and invalid");
    CHECK(readable_error("caf\xc3\xa9 ok") == "caf\xc3\xa9 ok");
    const std::string longest = readable_error(std::string(300, 'x') + " end");
    CHECK(longest.size() == kReadableErrorLength + std::string("\u2026").size());
    CHECK(readable_error(std::string(239, 'x') + "\xc3\xa9\xc3\xa9").size() <= kReadableErrorLength + 3);
}

TEST_CASE("the status bar's error clears when asked, but not a newer one", "[shell]") {
    State s = with_results(1);
    s = reduce(std::move(s), DesktopLaunchFailed{"the desktop has no application that opens /a.jpg"});
    const uint64_t first = s.last_error_serial;
    CHECK(s.last_error == "the desktop has no application that opens /a.jpg");
    s = reduce(std::move(s), DesktopLaunchFailed{"second"});
    s = reduce(std::move(s), ClearLastError{first});  // the first one's timer, late
    CHECK(s.last_error == "second");
    s = reduce(std::move(s), ClearLastError{s.last_error_serial});
    CHECK(s.last_error.empty());
}

// The job bar: the running scan's count, rate and ETA with a Cancel button, or, when none runs, a scan
// that a dead engine left interrupted with Resume (a rescan); apart from it, the analysis
// phase that runs after scans ("Analysing 120 of 718 photos · 3.9/s · ETA 2:33" with Pause, or "Analysis
// paused · 718 photos waiting" with Resume; the button sends SetAnalysisPaused and waits for the answer).
// Each row shows only when it has something to say; the bar hides when neither has.
#pragma once

#include "app/store.hpp"

#include <wx/panel.h>
#include <wx/stattext.h>

#include <optional>
#include <string>

class wxGauge;
class wxButton;
class wxSizer;

namespace lbx::shell {

class JobBar : public wxPanel {
public:
    JobBar(wxWindow* parent, Store& store);
    void render();  // returns with IsShown() telling whether it has anything to show
    // On the screen, or empty while hidden: the GUI tests click them.
    wxRect cancel_button_rect() const;
    wxRect pause_button_rect() const;
    bool pause_button_resumes() const { return !pause_pauses_; }
    bool scan_button_resumes() const { return scan_resumes_; }
    std::string scan_text() const { return label_->GetLabel().utf8_string(); }

private:
    Store& store_;
    wxSizer* scan_row_;
    wxGauge* gauge_;
    wxStaticText* label_;
    wxButton* cancel_;
    wxSizer* analysis_row_;
    wxGauge* analysis_gauge_;
    wxStaticText* analysis_label_;
    wxButton* pause_;
    uint64_t job_id_ = 0;
    bool scan_resumes_ = false;  // the scan row shows an interrupted scan: its button resumes it
    bool pause_pauses_ = true;  // what the button does now: pause, or resume
};

std::string job_line(const ipc::JobProgress& progress, std::size_t running);
// An interrupted scan: how far it came ("Scan interrupted: the engine stopped after 158 photos ...").
std::string interrupted_line(const ipc::JobProgress& progress, std::size_t interrupted);

// The analysis row: its text, whether its button pauses (else it resumes), and how far (0..1) it is.
struct AnalysisLine {
    std::string text;
    bool pauses = true;
    double fraction = 0;
};
std::optional<AnalysisLine> analysis_line(const State& state);

}  // namespace lbx::shell

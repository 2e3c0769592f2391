#include "views/job_bar.hpp"

#include <wx/button.h>
#include <wx/gauge.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <algorithm>

#include <cstdio>

namespace lbx::shell {
namespace {

std::string eta_text(const std::optional<double>& eta_seconds) {
    if (!eta_seconds) return "ETA unknown";
    const long seconds = static_cast<long>(*eta_seconds + 0.5);
    char text[32];
    if (seconds >= 3600) std::snprintf(text, sizeof text, "ETA %ld:%02ld:%02ld", seconds / 3600, seconds / 60 % 60, seconds % 60);
    else std::snprintf(text, sizeof text, "ETA %ld:%02ld", seconds / 60, seconds % 60);
    return text;
}

const char* kDot = " \xc2\xb7 ";  // U+00B7 between the parts of the analysis line

int gauge_value(double fraction) { return static_cast<int>(1000 * std::clamp(fraction, 0.0, 1.0)); }

}  // namespace

std::string job_line(const ipc::JobProgress& p, std::size_t running) {
    char text[256];
    std::snprintf(text, sizeof text, "Scanning: %llu of %llu photos, %llu failed, %.1f photos/s, %s%s",
                  static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total),
                  static_cast<unsigned long long>(p.failed), p.rate, eta_text(p.eta_seconds).c_str(),
                  running > 1 ? (" (+" + std::to_string(running - 1) + " more jobs)").c_str() : "");
    return text;
}

std::string interrupted_line(const ipc::JobProgress& p, std::size_t interrupted) {
    // The new engine knows how far the job came, not how many photos its folders hold.
    std::string line = "Scan interrupted: the engine stopped after " + std::to_string(p.done) + (p.done == 1 ? " photo" : " photos");
    if (p.failed) line += " (" + std::to_string(p.failed) + " failed)";
    if (interrupted > 1) line += " (+" + std::to_string(interrupted - 1) + " more scans)";
    return line;
}

std::optional<AnalysisLine> analysis_line(const State& s) {
    // Paused (the engine's word, kept across its restarts) wins over a job whose last event is still coming.
    if (s.analysis && s.analysis->paused) {
        if (s.analysis->pending == 0) return std::nullopt;  // nothing would run
        return AnalysisLine{"Analysis paused" + std::string(kDot) + std::to_string(s.analysis->pending) +
                                (s.analysis->pending == 1 ? " photo waiting" : " photos waiting"),
                            false, 0};
    }
    const auto running = running_jobs(s, ipc::JobKind::analysis);
    if (running.empty()) return std::nullopt;
    const ipc::JobProgress& p = running.front()->progress;
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f/s", p.rate);
    std::string text = "Analysing " + std::to_string(p.done) + " of " + std::to_string(p.total) + " photos" + kDot + rate + kDot +
                       eta_text(p.eta_seconds);
    if (p.failed) text += kDot + std::to_string(p.failed) + " failed";
    return AnalysisLine{text, true, p.total ? static_cast<double>(p.done) / static_cast<double>(p.total) : 0};
}

JobBar::JobBar(wxWindow* parent, Store& store) : wxPanel(parent, wxID_ANY), store_(store) {
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    scan_row_ = new wxBoxSizer(wxHORIZONTAL);
    label_ = new wxStaticText(this, wxID_ANY, "");
    gauge_ = new wxGauge(this, wxID_ANY, 1000, wxDefaultPosition, wxSize(240, -1));
    // Wide enough for either word: the button resumes an interrupted scan.
    cancel_ = new wxButton(this, wxID_ANY, "Resume");
    cancel_->SetMinSize(cancel_->GetBestSize());
    cancel_->SetLabel("Cancel");
    scan_row_->Add(gauge_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 6);
    scan_row_->Add(label_, 1, wxALIGN_CENTER_VERTICAL | wxALL, 6);
    scan_row_->Add(cancel_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 4);
    analysis_row_ = new wxBoxSizer(wxHORIZONTAL);
    analysis_label_ = new wxStaticText(this, wxID_ANY, "");
    analysis_gauge_ = new wxGauge(this, wxID_ANY, 1000, wxDefaultPosition, wxSize(240, -1));
    // Wide enough for either word, so that the row does not move when it changes.
    pause_ = new wxButton(this, wxID_ANY, "Resume");
    pause_->SetMinSize(pause_->GetBestSize());
    pause_->SetLabel("Pause");
    // Its place kept while paused (no progress to show), so that both rows' words line up.
    analysis_row_->Add(analysis_gauge_, 0, wxALIGN_CENTER_VERTICAL | wxALL | wxRESERVE_SPACE_EVEN_IF_HIDDEN, 6);
    analysis_row_->Add(analysis_label_, 1, wxALIGN_CENTER_VERTICAL | wxALL, 6);
    analysis_row_->Add(pause_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 4);
    sizer->Add(scan_row_, 0, wxEXPAND);
    sizer->Add(analysis_row_, 0, wxEXPAND);
    SetSizer(sizer);
    // A click does not take the keyboard from the grid or the photo view (B, arrows, Esc go on working);
    // the keyboard reaches both through the Library menu.
    cancel_->SetCanFocus(false);
    pause_->SetCanFocus(false);
    cancel_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (scan_resumes_) store_.dispatch(ResumeInterruptedScans{});
        else if (job_id_) store_.dispatch(CancelJobRequested{job_id_});
    });
    pause_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { store_.dispatch(PauseAnalysisRequested{pause_pauses_}); });
    render();
}

void JobBar::render() {
    const State& s = store_.state();
    const auto running = running_jobs(s, ipc::JobKind::scan);
    // A running scan first (Cancel); else one a dead engine left (Resume).
    const auto interrupted = running.empty() ? interrupted_scans(s) : std::vector<const JobView*>{};
    const auto& scans = running.empty() ? interrupted : running;
    const std::optional<AnalysisLine> analysis = analysis_line(s);
    const bool scan_was = GetSizer()->IsShown(scan_row_), analysis_was = GetSizer()->IsShown(analysis_row_);
    job_id_ = scans.empty() ? 0 : scans.front()->progress.job_id;
    scan_resumes_ = running.empty() && !interrupted.empty();
    if (!scans.empty()) {
        const ipc::JobProgress& p = scans.front()->progress;
        // An interrupted scan's total is only what it had done: no progress to show.
        gauge_->SetValue(p.total && !scan_resumes_ ? static_cast<int>(1000 * p.done / p.total) : 0);
        const wxString line = wxString::FromUTF8(scan_resumes_ ? interrupted_line(p, interrupted.size()) : job_line(p, running.size()));
        if (label_->GetLabel() != line) label_->SetLabel(line);
        const wxString word = scan_resumes_ ? "Resume" : "Cancel";
        if (cancel_->GetLabel() != word) cancel_->SetLabel(word);
        cancel_->SetToolTip(scan_resumes_ ? "Scan the library's folders again to finish it: the photos already done are skipped"
                                          : "Stop the scan; the photos it did are kept");
        cancel_->Enable(s.engine.status == EngineStatus::connected && !(scan_resumes_ && s.resume_sent));
    }
    if (analysis) {
        if (analysis->pauses) analysis_gauge_->SetValue(gauge_value(analysis->fraction));
        analysis_gauge_->Show(analysis->pauses);  // a paused phase has no progress to show
        const wxString line = wxString::FromUTF8(analysis->text);
        if (analysis_label_->GetLabel() != line) analysis_label_->SetLabel(line);
        pause_pauses_ = analysis->pauses;
        const wxString word = analysis->pauses ? "Pause" : "Resume";
        if (pause_->GetLabel() != word) pause_->SetLabel(word);
        pause_->SetToolTip(analysis->pauses ? "Stop analysing photos for now (kept when the engine restarts)"
                                            : "Go on analysing the photos that are left");
        pause_->Enable(!s.analysis_pause_sent && s.engine.status == EngineStatus::connected);
    }
    GetSizer()->Show(scan_row_, !scans.empty());
    GetSizer()->Show(analysis_row_, analysis.has_value());
    // The analysis gauge's visibility was set above: Show(row) shows every child again.
    if (analysis) analysis_gauge_->Show(analysis->pauses);
    const bool any = !scans.empty() || analysis;
    if (scan_was != !scans.empty() || analysis_was != analysis.has_value()) {
        Layout();
        if (IsShown() == any && GetParent()) GetParent()->Layout();  // the bar's height changed
    }
    Show(any);
}

wxRect JobBar::cancel_button_rect() const { return IsShown() && cancel_->IsShown() ? cancel_->GetScreenRect() : wxRect(); }
wxRect JobBar::pause_button_rect() const { return IsShown() && pause_->IsShown() ? pause_->GetScreenRect() : wxRect(); }

}  // namespace lbx::shell

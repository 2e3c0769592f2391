#include "views/job_bar.hpp"

#include <wx/button.h>
#include <wx/gauge.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <cstdio>

namespace lbx::shell {

std::string job_line(const ipc::JobProgress& p, std::size_t running) {
    char text[256];
    char eta[32] = "ETA unknown";
    if (p.eta_seconds) {
        const long seconds = static_cast<long>(*p.eta_seconds + 0.5);
        std::snprintf(eta, sizeof eta, "ETA %ld:%02ld", seconds / 60, seconds % 60);
    }
    std::snprintf(text, sizeof text, "Scanning: %llu of %llu photos, %llu failed, %.1f photos/s, %s%s",
                  static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total),
                  static_cast<unsigned long long>(p.failed), p.rate, eta,
                  running > 1 ? (" (+" + std::to_string(running - 1) + " more jobs)").c_str() : "");
    return text;
}

JobBar::JobBar(wxWindow* parent, Store& store) : wxPanel(parent, wxID_ANY), store_(store) {
    auto* sizer = new wxBoxSizer(wxHORIZONTAL);
    label_ = new wxStaticText(this, wxID_ANY, "");
    gauge_ = new wxGauge(this, wxID_ANY, 1000, wxDefaultPosition, wxSize(240, -1));
    cancel_ = new wxButton(this, wxID_CANCEL, "Cancel");
    sizer->Add(gauge_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 6);
    sizer->Add(label_, 1, wxALIGN_CENTER_VERTICAL | wxALL, 6);
    sizer->Add(cancel_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 4);
    SetSizer(sizer);
    cancel_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (job_id_) store_.dispatch(CancelJobRequested{job_id_});
    });
    render();
}

void JobBar::render() {
    const auto running = running_jobs(store_.state());
    if (running.empty()) {
        job_id_ = 0;
        Hide();
        return;
    }
    const ipc::JobProgress& p = running.front()->progress;
    job_id_ = p.job_id;
    gauge_->SetValue(p.total ? static_cast<int>(1000 * p.done / p.total) : 0);
    label_->SetLabel(job_line(p, running.size()));
    Show();
}

wxRect JobBar::cancel_button_rect() const { return cancel_->GetScreenRect(); }

}  // namespace lbx::shell

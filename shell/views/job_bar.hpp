// The job bar: the running scan's count, rate and ETA with a Cancel button; hidden when nothing runs.
#pragma once

#include "app/store.hpp"

#include <wx/panel.h>

class wxGauge;
class wxStaticText;
class wxButton;

namespace lbx::shell {

class JobBar : public wxPanel {
public:
    JobBar(wxWindow* parent, Store& store);
    void render();  // returns with IsShown() telling whether a job runs
    wxRect cancel_button_rect() const;  // on the screen: the GUI test clicks it

private:
    Store& store_;
    wxGauge* gauge_;
    wxStaticText* label_;
    wxButton* cancel_;
    uint64_t job_id_ = 0;
};

std::string job_line(const ipc::JobProgress& progress, std::size_t running);

}  // namespace lbx::shell

// The people requests (ListPersons, RenamePerson, MergePersons, RemoveFace). Not implemented yet: they
// answer `unsupported` until the catalog groups faces into persons.
#include "service/request_handlers.hpp"

#include <lightbox/ipc/error_codes.hpp>

namespace lbx::engine::service {
namespace {

ipc::Unexpected<ipc::Error> not_yet(std::string_view request) {
    return ipc::unexpected(ipc::make_error(ipc::Status::bad_request, "engine", ipc::codes::kUnsupported,
                                           std::string(request) + ": people are not grouped by this engine yet"));
}

}  // namespace

RequestHandlers::Result<ipc::ListPersons> RequestHandlers::on(const ipc::ListPersons&) { return not_yet("ListPersons"); }
RequestHandlers::Result<ipc::RenamePerson> RequestHandlers::on(const ipc::RenamePerson&) { return not_yet("RenamePerson"); }
RequestHandlers::Result<ipc::MergePersons> RequestHandlers::on(const ipc::MergePersons&) { return not_yet("MergePersons"); }
RequestHandlers::Result<ipc::RemoveFace> RequestHandlers::on(const ipc::RemoveFace&) { return not_yet("RemoveFace"); }

}  // namespace lbx::engine::service

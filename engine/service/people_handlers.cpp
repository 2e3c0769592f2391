// The people requests (ListPersons, RenamePerson, MergePersons, RemoveFace) over the catalog's persons
// (catalog/people.hpp). Ids and names come from the client: each is checked there, and an unknown one
// is `not_found`, a bad one `bad_request`, never an engine error.
#include "catalog/people.hpp"
#include "service/request_handlers.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <algorithm>
#include <string_view>

namespace lbx::engine::service {
namespace {

// The status a client acts on, by the code the catalog's people functions give.
ipc::Status status_of(const Error& e) {
    const std::string_view code = e.code;
    if (code == ipc::codes::kNoSuchPerson || code == ipc::codes::kNoSuchFace || code == ipc::codes::kNoPerson)
        return ipc::Status::not_found;
    if (code == ipc::codes::kBadName || code == ipc::codes::kSamePerson || code == ipc::codes::kOtherModel)
        return ipc::Status::bad_request;
    return ipc::Status::internal;
}

ipc::Unexpected<ipc::Error> people_error(const Error& e) {
    return ipc::unexpected(ipc::make_error(status_of(e), e.domain, e.code, e.message, e.detail));
}

ipc::Person person_of(const catalog::PersonInfo& p) {
    return ipc::Person{static_cast<uint64_t>(p.id),     p.name,        static_cast<uint64_t>(p.faces),
                       static_cast<uint64_t>(p.photos), p.cover_hash,  p.cover_x,
                       p.cover_y,                       p.cover_width, p.cover_height,
                       p.cover_rotation};
}

// Ids on the wire are unsigned; the catalog's are SQLite's signed ones, never above INT64_MAX.
int64_t catalog_id(uint64_t id) { return static_cast<int64_t>(std::min<uint64_t>(id, INT64_MAX)); }

}  // namespace

RequestHandlers::Result<ipc::ListPersons> RequestHandlers::on(const ipc::ListPersons& request) {
    const uint64_t limit = request.limit == 0 || request.limit > ipc::kMaxListLimit ? ipc::kMaxListLimit : request.limit;
    auto persons = catalog::list_persons(*state_.catalog, catalog_id(request.offset), static_cast<int64_t>(limit));
    if (!persons) return people_error(persons.error());
    auto total = catalog::person_count(*state_.catalog);
    if (!total) return people_error(total.error());
    ipc::PersonList reply;
    reply.total = static_cast<uint64_t>(*total);
    for (const catalog::PersonInfo& p : *persons) reply.persons.push_back(person_of(p));
    return reply;
}

RequestHandlers::Result<ipc::RenamePerson> RequestHandlers::on(const ipc::RenamePerson& request) {
    auto person = catalog::rename_person(*state_.catalog, catalog_id(request.person_id), request.new_name);
    if (!person) return people_error(person.error());
    announce(ipc::changes::kPeople);
    return ipc::PersonReply{person_of(*person)};
}

RequestHandlers::Result<ipc::MergePersons> RequestHandlers::on(const ipc::MergePersons& request) {
    auto person = catalog::merge_persons(*state_.catalog, catalog_id(request.from_id), catalog_id(request.into_id));
    if (!person) return people_error(person.error());
    announce(ipc::changes::kPeople);
    return ipc::PersonReply{person_of(*person)};
}

RequestHandlers::Result<ipc::RemoveFace> RequestHandlers::on(const ipc::RemoveFace& request) {
    auto person = catalog::remove_face(*state_.catalog, request.photo_id, request.source, request.index);
    if (!person) return people_error(person.error());
    announce(ipc::changes::kPeople, {request.photo_id});
    return ipc::PersonReply{person_of(*person)};
}

}  // namespace lbx::engine::service

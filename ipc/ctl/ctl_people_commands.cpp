// lightbox-ctl's people subcommands: persons, person-rename, person-merge, face-remove.
#include "ctl_commands.hpp"

#include "ctl_output.hpp"
#include "message_json.hpp"

#include <cstdio>

namespace lbx::ctl {
namespace {

void print_person(const ipc::Person& p) {
    std::printf("%-6llu %-24s %5llu faces %5llu photos  cover %s [%.3f %.3f %.3f %.3f]\n", static_cast<unsigned long long>(p.id),
                p.name.empty() ? "(unnamed)" : p.name.c_str(), static_cast<unsigned long long>(p.faces),
                static_cast<unsigned long long>(p.photos), p.cover_photo_id.empty() ? "-" : p.cover_photo_id.c_str(), p.cover_x,
                p.cover_y, p.cover_width, p.cover_height);
}

template <class Reply>
int print_reply(CtlContext& ctx, const ipc::Expected<Reply>& reply) {
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) print_json(to_json(ipc::Reply{*reply}));
    else print_person(reply->person);
    return kExitOk;
}

}  // namespace

int persons(CtlContext& ctx, uint64_t offset, uint64_t limit) {
    auto reply = ctx.client.call(ipc::ListPersons{offset, limit});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {
        print_json(to_json(ipc::Reply{*reply}));
        return kExitOk;
    }
    for (const ipc::Person& p : reply->persons) print_person(p);
    std::fprintf(stderr, "%zu of %llu persons (from %llu)\n", reply->persons.size(), static_cast<unsigned long long>(reply->total),
                 static_cast<unsigned long long>(offset));
    return kExitOk;
}

int person_rename(CtlContext& ctx, uint64_t person_id, const std::string& name) {
    return print_reply(ctx, ctx.client.call(ipc::RenamePerson{person_id, name}));
}

int person_merge(CtlContext& ctx, uint64_t from_id, uint64_t into_id) {
    return print_reply(ctx, ctx.client.call(ipc::MergePersons{from_id, into_id}));
}

int face_remove(CtlContext& ctx, const std::string& photo_id, const std::string& source, uint32_t index) {
    return print_reply(ctx, ctx.client.call(ipc::RemoveFace{photo_id, source, index}));
}

}  // namespace lbx::ctl

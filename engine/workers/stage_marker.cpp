#include "workers/stage_marker.hpp"

#include <cerrno>
#include <cstring>
#include <new>
#include <utility>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace lbx::engine {

// Lock-free atomics are plain memory operations, so they work between processes sharing the page.
struct StageMarker::Page {
    std::atomic<uint32_t> stop;
    std::atomic<uint32_t> running;  // 1 while a stage call runs
    std::atomic<uint64_t> size_at_death;
    std::atomic<uint64_t> steps;
    char phase[8];
    char library[1024];
    char kind[16];
    char stage_id[64];
    char plugin[128];
    char plugin_version[32];
};
static_assert(std::atomic<uint32_t>::is_always_lock_free);

namespace {

template <std::size_t N>
void copy_field(char (&out)[N], const std::string& value) {
    const std::size_t n = std::min(value.size(), N - 1);
    std::memcpy(out, value.data(), n);
    out[n] = '\0';
}

template <std::size_t N>
std::string read_field(const char (&in)[N]) {
    return std::string(in, strnlen(in, N));
}

Expected<void*> map_page(int fd) {
    void* p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return unexpected(make_error("worker", "internal", std::string("cannot map the stage marker: ") + std::strerror(errno)));
    return p;
}

}  // namespace

Expected<StageMarker> StageMarker::create() {
    static_assert(sizeof(Page) <= 4096);
    const int low = ::memfd_create("lightbox-stage", MFD_CLOEXEC);
    // Above 0..4, which a worker's spawn actions overwrite (the channel goes to 3, this page to 4).
    const int fd = low < 0 ? -1 : ::fcntl(low, F_DUPFD_CLOEXEC, 10);
    if (low >= 0) ::close(low);
    if (fd < 0) return unexpected(make_error("worker", "internal", std::string("memfd_create: ") + std::strerror(errno)));
    if (::ftruncate(fd, 4096) != 0) {
        const int e = errno;
        ::close(fd);
        return unexpected(make_error("worker", "internal", std::string("cannot size the stage marker: ") + std::strerror(e)));
    }
    auto page = map_page(fd);
    if (!page) {
        ::close(fd);
        return unexpected(page.error());
    }
    return StageMarker(fd, new (*page) Page{});
}

Expected<StageMarker> StageMarker::attach(int fd) {
    auto page = map_page(fd);
    if (!page) return unexpected(page.error());
    return StageMarker(fd, static_cast<Page*>(*page));
}

StageMarker::StageMarker(StageMarker&& other) noexcept : fd_(other.fd_), page_(other.page_) {
    other.fd_ = -1;
    other.page_ = nullptr;
}

StageMarker& StageMarker::operator=(StageMarker&& other) noexcept {
    if (this != &other) {
        this->~StageMarker();
        fd_ = std::exchange(other.fd_, -1);
        page_ = std::exchange(other.page_, nullptr);
    }
    return *this;
}

StageMarker::~StageMarker() {
    if (page_ != nullptr) ::munmap(page_, 4096);
    if (fd_ >= 0) ::close(fd_);
}

void StageMarker::set(const char* kind, const std::string& stage_id, const std::string& plugin, const std::string& version) {
    page_->running.store(0, std::memory_order_release);
    copy_field(page_->phase, "");
    copy_field(page_->library, "");
    copy_field(page_->kind, kind);
    copy_field(page_->stage_id, stage_id);
    copy_field(page_->plugin, plugin);
    copy_field(page_->plugin_version, version);
    page_->steps.fetch_add(1, std::memory_order_relaxed);
    page_->running.store(1, std::memory_order_release);
}

void StageMarker::set_loading(const std::string& library) {
    page_->running.store(0, std::memory_order_release);
    copy_field(page_->phase, "load");
    copy_field(page_->library, library);
    copy_field(page_->kind, "");
    copy_field(page_->stage_id, "");
    copy_field(page_->plugin, "");
    copy_field(page_->plugin_version, "");
    page_->steps.fetch_add(1, std::memory_order_relaxed);
    page_->running.store(1, std::memory_order_release);
}

void StageMarker::set_creating(const char* kind, const std::string& stage_id, const std::string& plugin, const std::string& version,
                               const std::string& library) {
    set(kind, stage_id, plugin, version);
    page_->running.store(0, std::memory_order_release);
    copy_field(page_->phase, "create");
    copy_field(page_->library, library);
    page_->running.store(1, std::memory_order_release);
}

uint64_t StageMarker::steps() const { return page_->steps.load(std::memory_order_relaxed); }

void StageMarker::clear() { page_->running.store(0, std::memory_order_release); }

bool StageMarker::stop_requested() const { return page_->stop.load(std::memory_order_acquire) != 0; }

RunningStage StageMarker::running() const {
    if (page_->running.load(std::memory_order_acquire) == 0) return {};
    return RunningStage{read_field(page_->kind),           read_field(page_->stage_id), read_field(page_->plugin),
                        read_field(page_->plugin_version), read_field(page_->phase),    read_field(page_->library)};
}

void StageMarker::set_size_at_death(uint64_t bytes) { page_->size_at_death.store(bytes, std::memory_order_release); }

uint64_t StageMarker::size_at_death() const { return page_->size_at_death.load(std::memory_order_acquire); }

void StageMarker::request_stop() { page_->stop.store(1, std::memory_order_release); }

void StageMarker::reset() {
    page_->stop.store(0, std::memory_order_release);
    page_->running.store(0, std::memory_order_release);
    page_->size_at_death.store(0, std::memory_order_release);
}

}  // namespace lbx::engine

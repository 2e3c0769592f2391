// Timings for tests that report (never assert) what code costs: the median wall-clock and thread CPU
// times of repeated calls.
#pragma once

#include <algorithm>
#include <chrono>
#include <ctime>
#include <ostream>
#include <vector>

namespace lbx::test {

inline double thread_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Median wall-clock and CPU times of `runs` calls. On a busy machine the CPU time is the better guide
// to what the code costs.
struct Timing {
    double wall_ms = 0, cpu_ms = 0;
};

inline std::ostream& operator<<(std::ostream& os, const Timing& t) {
    return os << t.cpu_ms << " ms CPU (" << t.wall_ms << " ms wall)";
}

template <typename F>
Timing median_ms(int runs, F&& f) {
    std::vector<double> wall, cpu;
    for (int i = 0; i < runs; ++i) {
        const auto a = std::chrono::steady_clock::now();
        const double c = thread_cpu_ms();
        f();
        cpu.push_back(thread_cpu_ms() - c);
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

}  // namespace lbx::test

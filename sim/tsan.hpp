#pragma once
// ThreadSanitizer annotations for work handed to oneTBB.
//
// Debian's libtbb is not built with TSan, so TSan cannot see the ordering that
// tbb::parallel_for guarantees (the caller's writes happen before the tasks
// run; the tasks' writes happen before parallel_for returns) and reports the
// hand-over of results as races. Stating that ordering keeps the reports about
// real races only:
//
//   int into = 0, out = 0;
//   sim::happens_before(&into);
//   tbb::parallel_for(range, [&](auto r) { const sim::TaskSync sync(&into, &out); ... });
//   sim::happens_after(&out);
//
// Everything here compiles to nothing without TSan.

#if defined(__SANITIZE_THREAD__)
#define CREDSIM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CREDSIM_TSAN 1
#endif
#endif

#ifdef CREDSIM_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace credsim::sim {

#ifdef CREDSIM_TSAN
inline void happens_before(void* sync) { __tsan_release(sync); }
inline void happens_after(void* sync) { __tsan_acquire(sync); }
#else
inline void happens_before(void*) {}
inline void happens_after(void*) {}
#endif

// In a task: sees what the caller wrote before parallel_for, and publishes what
// the task wrote to the caller's happens_after(out_sync).
class TaskSync {
 public:
  TaskSync(void* into_sync, void* out_sync) : out_(out_sync) { happens_after(into_sync); }
  ~TaskSync() { happens_before(out_); }
  TaskSync(const TaskSync&) = delete;
  TaskSync& operator=(const TaskSync&) = delete;

 private:
  void* out_;
};

}  // namespace credsim::sim

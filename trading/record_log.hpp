// An append-only array of plain records (trades, equity points) that grows with realloc. For a
// large block the C library moves the pages (mremap) instead of copying them, so a log of a
// million trades is written to memory once. A std::vector writes it about twice and touches twice
// the pages, which on a backtest with many trades cost more than the trading did. A large block
// is also advised as transparent huge pages: it is written once, front to back, and the kernel
// faults it in 2 MiB at a time, a quarter of the cost of 4 KiB pages on the machines measured.
// Contiguous like a vector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace ct::trading {

template <class T>
class record_log {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "records are moved by realloc");

public:
  record_log() = default;
  record_log(std::initializer_list<T> xs) { append(xs.begin(), xs.end()); }
  record_log(const record_log& o) { append(o.begin(), o.end()); }
  record_log(record_log&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)),
        capacity_(std::exchange(o.capacity_, 0)) {}
  record_log& operator=(record_log o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
    return *this;
  }
  ~record_log() { std::free(data_); }

  void push_back(const T& x) {
    if (size_ == capacity_)
      reserve(capacity_ < 64 ? 64 : capacity_ * 2);
    data_[size_++] = x;
  }
  void reserve(std::size_t n) {
    if (n <= capacity_)
      return;
    void* p = std::realloc(data_, n * sizeof(T));
    if (p == nullptr)
      throw std::bad_alloc{};
    data_ = static_cast<T*>(p);
    capacity_ = n;
    if (n * sizeof(T) >= huge_from)
      advise_huge(p);
  }
  void clear() { size_ = 0; }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& front() const { return data_[0]; }
  const T& back() const { return data_[size_ - 1]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }

private:
  /// Blocks from this size on are worth huge pages (the C library maps them on their own).
  static constexpr std::size_t huge_from = std::size_t{4} << 20;

  /// Advice only: where the kernel offers no huge pages on request, nothing changes. The whole
  /// pages of the block are advised, up to its usable end (for a block the C library mapped on
  /// its own, exactly its mapping): advising part of a mapping would split it, and the C library
  /// could no longer grow it with mremap.
  static void advise_huge([[maybe_unused]] void* p) {
#if defined(MADV_HUGEPAGE) && defined(__GLIBC__)
    static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    const auto first = at & ~(page - 1);
    const auto last = (at + ::malloc_usable_size(p) + page - 1) & ~(page - 1);
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
  }

  void append(const T* first, const T* last) {
    const auto n = static_cast<std::size_t>(last - first);
    reserve(size_ + n);
    if (n != 0)
      std::memcpy(data_ + size_, first, n * sizeof(T));
    size_ += n;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace ct::trading

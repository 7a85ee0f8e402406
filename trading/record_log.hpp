// An append-only array of plain records (trades) that grows with realloc. For a large block the
// C library moves the pages (mremap) instead of copying them, so a log of a million trades is
// written to memory once. A std::vector writes it about twice and touches twice the pages, which
// on a backtest with many trades cost more than the trading did. Contiguous like a vector.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace ct::trading {

template <class T>
class record_log {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "records are moved by realloc");

public:
  record_log() = default;
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

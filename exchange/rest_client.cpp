#include "exchange/rest_client.hpp"

#include <algorithm>
#include <cctype>

#include <arpa/inet.h>
#include <curl/curl.h>

namespace ct::exchange {

namespace {

constexpr std::size_t max_body = 64u << 20;  // far above any answer of a REST API

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto& body = *static_cast<std::string*>(user);
  if (body.size() + size * n > max_body)
    return 0;  // libcurl fails the transfer
  body.append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  const std::string line{data, size * n};
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    auto value = line.substr(colon + 1);
    const auto b = value.find_first_not_of(" \t");
    const auto e = value.find_last_not_of(" \t\r\n");
    headers[lower(line.substr(0, colon))] =
        b == std::string::npos ? std::string{} : value.substr(b, e - b + 1);
  }
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel != nullptr && cancel->load() ? 1 : 0;  // non-zero aborts the transfer
}

struct curl_global {
  curl_global() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~curl_global() { curl_global_cleanup(); }
};

}  // namespace

result<void> check_url_scheme(const std::string& url, const std::string& secure,
                              const std::string& plain) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    return make_error(errc::invalid_value, url + " is not a URL (" + secure + "://host[:port])");
  const auto scheme = lower(url.substr(0, scheme_end));
  if (scheme == secure)
    return {};
  if (scheme != plain)
    return make_error(errc::invalid_value,
                      url + ": only " + secure + " (or " + plain + " on loopback) is allowed");
  auto host = url.substr(scheme_end + 3);
  host = host.substr(0, host.find_first_of("/?#"));
  if (!host.empty() && host.front() == '[')
    host = host.substr(1, host.find(']') - 1);  // [::1]:port
  else
    host = host.substr(0, host.find(':'));
  host = lower(host);
  in_addr v4{};
  const bool loopback = host == "localhost" || host == "::1" ||
                        (inet_pton(AF_INET, host.c_str(), &v4) == 1 && host.rfind("127.", 0) == 0);
  if (!loopback)
    return make_error(errc::invalid_value,
                      url + ": plain " + plain + " is refused except on loopback; use " + secure);
  return {};
}

result<void> check_base_url(const std::string& url) {
  return check_url_scheme(url, "https", "http");
}

result<std::unique_ptr<rest_client>> rest_client::make(rest_options options) {
  if (auto ok = check_base_url(options.base_url); !ok.ok())
    return ok.err();
  static curl_global global;
  std::unique_ptr<rest_client> c{new rest_client(std::move(options))};
  if (c->curl_ == nullptr)
    return make_error(errc::internal, "libcurl could not be initialised");
  return c;
}

rest_client::rest_client(rest_options options)
    : options_(std::move(options)), curl_(curl_easy_init()) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
}

rest_client::~rest_client() {
  if (curl_ != nullptr)
    curl_easy_cleanup(static_cast<CURL*>(curl_));
}

result<rest_response> rest_client::get(const std::string& path) {
  return perform("GET", path, {});
}

result<rest_response> rest_client::send(const std::string& method, const std::string& path,
                                        const std::vector<std::string>& headers) {
  return perform(method, path, headers);
}

result<rest_response> rest_client::perform(const std::string& method, const std::string& path,
                                           const std::vector<std::string>& headers) {
  auto* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  rest_response r;
  const auto url = options_.base_url + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");  // Binance takes the signed query in the URL
  } else if (method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_slist* list = nullptr;
  for (const auto& h : headers)
    list = curl_slist_append(list, h.c_str());
  const std::unique_ptr<curl_slist, void (*)(curl_slist*)> owned{list, curl_slist_free_all};
  if (list != nullptr)
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect could leave https
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (options_.ca_file)
    curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file->c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "crypto-trading");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, options_.cancel);
  const auto rc = curl_easy_perform(c);
  if (rc == CURLE_ABORTED_BY_CALLBACK)
    return make_error(errc::shutting_down, "cancelled");
  if (rc != CURLE_OK)
    return make_error(errc::exchange_unavailable,
                      options_.base_url + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

}  // namespace ct::exchange

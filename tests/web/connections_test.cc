// How the server reads requests off its connections, over real sockets: it keeps answering
// while hundreds of connections are idle, slow or kept busy (web/connection_limits.h), cuts off
// a head that never ends, caps the connections of one address, takes a POST without a body as
// an empty one, answers pipelined requests and a client that waits for "100 Continue", and
// sends each answer's head and body together (ConnectionStream, on a socket pair). Each crowd comes from its own loopback address (127.0.0.2, ...), so
// that the cap per address does not hide what the other limits do.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "tests/web/api_fixture.h"
#include "tests/web/raw_http.h"
#include "web/connection_stream.h"

namespace rectify::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr char kHealth[] = "GET /api/health HTTP/1.1\r\nHost: rectify\r\n\r\n";

// Clients that hold connections without doing their share.
class Crowd {
 public:
  explicit Crowd(int port) : port_(port) {}
  ~Crowd() {
    Stop();
    for (auto& connection : idle_) connection->Close();
  }

  // Connections that never send a byte.
  void Idle(int count, const std::string& from) {
    for (int i = 0; i < count; ++i) idle_.push_back(std::make_unique<RawConnection>(port_, from));
  }
  // Connections that send a request line, then one header line every `every`, never the end.
  void Slow(int count, const std::string& from, std::chrono::milliseconds every) {
    for (int i = 0; i < count; ++i) {
      slow_.push_back(std::make_unique<RawConnection>(port_, from));
      slow_.back()->Send("GET /api/health HTTP/1.1\r\n");
    }
    threads_.emplace_back([this, every] {
      for (int line = 0; !stop_; ++line) {
        std::this_thread::sleep_for(every);
        for (auto& connection : slow_) connection->Send("X-Line-" + std::to_string(line) + ": slow\r\n");
      }
    });
  }
  // Clients that send request after request on one kept-alive connection, and connect again
  // whenever the server closes it.
  void Busy(int count, const std::string& from) {
    for (int i = 0; i < count; ++i) {
      threads_.emplace_back([this, from] {
        while (!stop_) {
          RawConnection connection(port_, from);
          while (!stop_ && connection.Send(kHealth)) {
            const std::string answer = connection.ReadAnswer(2s);
            if (StatusOf(answer) != 200) break;
            ++busy_answers_;
            if (answer.find("Connection: close") != std::string::npos) break;
          }
        }
      });
    }
  }
  void Stop() {
    stop_ = true;
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
  }

  int busy_answers() const { return busy_answers_; }
  std::vector<std::unique_ptr<RawConnection>>& slow() { return slow_; }

 private:
  const int port_;
  std::vector<std::unique_ptr<RawConnection>> idle_;
  std::vector<std::unique_ptr<RawConnection>> slow_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int> busy_answers_{0};
};

// GET /api/me as the office on a new connection from 127.0.0.1: the status, and how long it took.
std::pair<int, Clock::duration> TimedMe(ApiFixture& api) {
  httplib::Client client("127.0.0.1", api.port());
  client.set_read_timeout(20, 0);
  const auto start = Clock::now();
  auto result = client.Get("/api/me", {{"Authorization", "Bearer " + api.Office().token}});
  return {result ? result->status : 0, Clock::now() - start};
}

web::ApiOptions WithLimits(web::ConnectionLimits limits) {
  web::ApiOptions options;
  options.connections = limits;
  return options;
}

TEST_CASE("the server answers a logged-in user while hundreds of connections are idle slow or kept busy") {
  ApiFixture api;  // the limits `rectify serve` runs with
  api.Office();
  Crowd crowd(api.port());
  crowd.Idle(200, "127.0.0.2");
  crowd.Slow(16, "127.0.0.3", 1s);
  crowd.Busy(8, "127.0.0.4");
  std::this_thread::sleep_for(1500ms);

  const auto [status, took] = TimedMe(api);
  CHECK(status == 200);
  CHECK(took < 3s);
  CHECK(crowd.busy_answers() > 8);  // the busy clients were served all along

  crowd.Stop();
  CHECK(TimedMe(api).first == 200);
}

TEST_CASE("with few workers kept-alive clients make room and a head that never ends is cut off with 408") {
  web::ConnectionLimits limits;
  limits.workers = 2;
  limits.head_seconds = 1;
  limits.per_address = 0;
  ApiFixture api(WithLimits(limits));
  api.Office();
  Crowd crowd(api.port());
  crowd.Slow(2, "127.0.0.3", 200ms);  // both workers, until their heads are due
  crowd.Busy(4, "127.0.0.4");
  std::this_thread::sleep_for(300ms);

  const auto [status, took] = TimedMe(api);
  CHECK(status == 200);
  CHECK(took < 4s);
  // Kept-alive clients take turns on the two workers: each gets answers, however loaded the
  // machine running the test (a bound on how long, not a measure of speed).
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (crowd.busy_answers() <= 4 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(50ms);
  crowd.Stop();
  CHECK(crowd.busy_answers() > 4);
  for (auto& slow : crowd.slow()) {
    const std::string answer = slow->ReadAnswer(1s);
    CHECK(StatusOf(answer) == 408);
    CHECK(json::parse(BodyOf(answer))["error"] == "request_timeout");
    CHECK(answer.find("Connection: close") != std::string::npos);
  }
}

TEST_CASE("one address may hold only its cap of connections and another is served meanwhile") {
  web::ConnectionLimits limits;
  limits.per_address = 3;
  ApiFixture api(WithLimits(limits));
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawConnection>(api.port(), "127.0.0.2"));
    held.back()->Send("GET /api/health HTTP/1.1\r\n");  // a head begun, not finished
  }
  std::this_thread::sleep_for(300ms);

  RawConnection fourth(api.port(), "127.0.0.2");
  fourth.Send(kHealth);
  const std::string refused = fourth.ReadAnswer(2s);
  CHECK(StatusOf(refused) == 429);
  CHECK(json::parse(BodyOf(refused))["error"] == "too_many_requests");
  CHECK(fourth.ClosedWithin(1s));

  RawConnection other(api.port(), "127.0.0.5");
  other.Send(kHealth);
  CHECK(StatusOf(other.ReadAnswer(2s)) == 200);

  // The held connections end their heads: they are served, and their address is free again.
  for (auto& connection : held) {
    connection->Send("Host: rectify\r\nConnection: close\r\n\r\n");
    CHECK(StatusOf(connection->ReadAnswer(2s)) == 200);
    CHECK(connection->ClosedWithin(1s));
  }
  std::this_thread::sleep_for(100ms);
  RawConnection again(api.port(), "127.0.0.2");
  again.Send(kHealth);
  CHECK(StatusOf(again.ReadAnswer(2s)) == 200);
}

TEST_CASE("an idle kept-alive connection is closed and a head over 64 KiB is refused with 431") {
  web::ConnectionLimits limits;
  limits.keep_alive_seconds = 1;
  ApiFixture api(WithLimits(limits));
  RawConnection kept(api.port());
  kept.Send(kHealth);
  REQUIRE(StatusOf(kept.ReadAnswer(2s)) == 200);
  kept.Send(kHealth);  // a second request on the same connection
  REQUIRE(StatusOf(kept.ReadAnswer(2s)) == 200);
  CHECK(kept.ClosedWithin(3s));

  RawConnection huge(api.port());
  std::string head = "GET /api/health HTTP/1.1\r\nHost: rectify\r\n";
  for (int i = 0; i < 10; ++i) head += "X-Filler-" + std::to_string(i) + ": " + std::string(8000, 'x') + "\r\n";
  huge.Send(head + "\r\n");
  const std::string answer = huge.ReadAnswer(2s);
  CHECK(StatusOf(answer) == 431);
  CHECK(json::parse(BodyOf(answer))["error"] == "headers_too_large");
}

TEST_CASE("a POST without a body is an empty one: accepted where none is needed and refused by name where one is") {
  ApiFixture api;
  const ApiFixture::Login& office = api.Office();
  const std::string bearer = "Authorization: Bearer " + office.token + "\r\n";
  RawConnection connection(api.port());
  const auto start = Clock::now();
  connection.Send("POST /api/problems HTTP/1.1\r\nHost: rectify\r\n" + bearer + "\r\n");
  const std::string refused = connection.ReadAnswer(3s);
  CHECK(StatusOf(refused) == 400);
  CHECK(json::parse(BodyOf(refused))["error"] == "invalid_argument");
  CHECK(json::parse(BodyOf(refused))["field"] == "body");
  // The same connection carries on: nothing was taken for a body (a login session logs out; the
  // fixture's API token would not).
  const std::string session = "Authorization: Bearer " + api.LoginSession(office).token + "\r\n";
  connection.Send("POST /api/logout HTTP/1.1\r\nHost: rectify\r\n" + session + "\r\n");
  const std::string logged_out = connection.ReadAnswer(3s);
  CHECK(StatusOf(logged_out) == 200);
  CHECK(Clock::now() - start < 2s);  // no wait for a body that was never announced
}

TEST_CASE("pipelined requests on one connection are answered in order, each whole") {
  ApiFixture api;
  RawConnection connection(api.port());
  const std::string unknown = "GET /api/no-such-route HTTP/1.1\r\nHost: rectify\r\n\r\n";
  REQUIRE(connection.Send(std::string(kHealth) + unknown + kHealth));
  CHECK(StatusOf(connection.ReadAnswer(3s)) == 200);
  CHECK(StatusOf(connection.ReadAnswer(3s)) == 404);
  CHECK(StatusOf(connection.ReadAnswer(3s)) == 200);
}

TEST_CASE("a client that waits for 100 Continue gets it before it sends its body, then its answer") {
  ApiFixture api;
  const std::string body = R"({"username":"nobody","password":"wrong-password"})";
  RawConnection connection(api.port());
  REQUIRE(connection.Send("POST /api/login HTTP/1.1\r\nHost: rectify\r\nContent-Type: application/json\r\n"
                          "Expect: 100-continue\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n"));
  // The interim answer has no body: it reads as an answer of its own.
  CHECK(StatusOf(connection.ReadAnswer(2s)) == 100);
  REQUIRE(connection.Send(body));
  const std::string answer = connection.ReadAnswer(3s);
  CHECK(StatusOf(answer) == 401);
  CHECK(json::parse(BodyOf(answer)).contains("error"));
}

// ConnectionStream directly, over a socket pair that keeps each send a record of its own
// (SOCK_SEQPACKET), so that what the client receives in one piece was sent in one.
class StreamPair {
 public:
  StreamPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds) != 0) throw std::runtime_error("socketpair failed");
    server_ = fds[0];
    client_ = fds[1];
    stream_ = std::make_unique<web::ConnectionStream>(server_, 2000ms, 2000ms);
  }
  ~StreamPair() {
    stream_.reset();
    ::close(server_);
    ::close(client_);
  }
  web::ConnectionStream& stream() { return *stream_; }
  // The next record the server sent, empty when none came within `timeout`.
  std::string Received(std::chrono::milliseconds timeout = 2000ms) {
    pollfd ready{client_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(timeout.count())) <= 0) return {};
    std::string record(64 << 10, '\0');
    const ssize_t n = ::recv(client_, record.data(), record.size(), 0);
    record.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return record;
  }
  void Send(const std::string& bytes) { ::send(client_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

 private:
  int server_ = -1;
  int client_ = -1;
  std::unique_ptr<web::ConnectionStream> stream_;
};

TEST_CASE("the stream sends an answer's head and body in one piece, and what it holds before it waits for input") {
  StreamPair pair;
  web::ConnectionStream& stream = pair.stream();
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";
  REQUIRE(stream.write(head.data(), head.size()) == static_cast<ssize_t>(head.size()));
  REQUIRE(stream.write("{}", 2) == 2);
  CHECK(pair.Received(100ms).empty());  // held until the answer is complete
  REQUIRE(stream.Flush());
  CHECK(pair.Received() == head + "{}");

  // What is held goes out before the stream waits for the client, who may wait for it first.
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  REQUIRE(stream.write(interim.data(), interim.size()) == static_cast<ssize_t>(interim.size()));
  std::string seen;
  std::thread client([&] {
    seen = pair.Received();
    pair.Send("GET /api/health HTTP/1.1\r\n\r\n");
  });
  stream.BeginRequest(web::ConnectionStream::Clock::now() + 2s);
  char line[16] = {};
  const ssize_t read = stream.read(line, 3);
  client.join();
  CHECK(seen == interim);
  CHECK(std::string(line, read > 0 ? static_cast<std::size_t>(read) : 0) == "GET");

  // A body longer than what the stream holds goes out as written, after what was held.
  const std::string long_body(web::ConnectionStream::kMaxUnsentBytes + 1, 'x');
  REQUIRE(stream.write(head.data(), head.size()) == static_cast<ssize_t>(head.size()));
  REQUIRE(stream.write(long_body.data(), long_body.size()) == static_cast<ssize_t>(long_body.size()));
  CHECK(pair.Received() == head);
  CHECK(pair.Received() == long_body);
  REQUIRE(stream.Flush());
  CHECK(pair.Received(100ms).empty());
}

}  // namespace
}  // namespace rectify::testing

#include "web/guarded_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "web/connection_stream.h"
#include "web/request_log.h"

namespace rectify::web {
namespace {

using Clock = ConnectionStream::Clock;

// When the task a worker runs was queued, that is when its connection was accepted: httplib
// hands the task queue a closure that calls process_and_close_socket(sock) and nothing else,
// so the worker leaves the time here for the connection's first head deadline.
thread_local Clock::time_point accepted_at;

// httplib's TaskQueue with a fixed number of threads, which counts the tasks (accepted
// connections) not yet taken by one, so that kept-alive connections can make room.
class WorkerPool final : public httplib::TaskQueue {
 public:
  WorkerPool(int workers, std::atomic<int>& waiting) : waiting_(waiting) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
  }

  void enqueue(std::function<void()> task) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.emplace_back(std::move(task), Clock::now());
      ++waiting_;
    }
    wake_.notify_one();
  }

  // Finishes the queued tasks, then joins the threads.
  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        std::tie(task, accepted_at) = std::move(tasks_.front());
        tasks_.pop_front();
        --waiting_;
      }
      task();
    }
  }

  std::atomic<int>& waiting_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::function<void()>, Clock::time_point>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

std::chrono::milliseconds Milliseconds(time_t seconds, time_t microseconds) {
  return std::chrono::milliseconds(seconds * 1000 + microseconds / 1000);
}

}  // namespace

GuardedServer::GuardedServer(ConnectionLimits limits) : limits_(limits) {
  new_task_queue = [this] { return new WorkerPool(limits_.workers, waiting_); };
  // Replaces httplib's default of SO_REUSEPORT, with which a second server on the same port
  // starts "successfully" and silently takes a share of the connections. SO_REUSEADDR alone
  // still allows a quick restart over TIME_WAIT, and a port in use is an error.
  set_socket_options([defer = limits_.defer_accept_seconds](socket_t sock) {
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    setsockopt(sock, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer));
  });
}

void GuardedServer::Handle(const std::string& method, const std::string& pattern, Handler handler) {
  if (method == "GET") Get(pattern, std::move(handler));
  else if (method == "POST") Post(pattern, std::move(handler));
  else if (method == "DELETE") Delete(pattern, std::move(handler));
  else throw std::logic_error("GuardedServer: no routing for method " + method);
}

int GuardedServer::Bind(const std::string& host, int port) {
  const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return -1;
  // httplib listens with a backlog of 5; listening again on the bound socket sets a new one.
  if (::listen(svr_sock_, limits_.backlog) != 0) return -1;
  return bound;
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  bool served = false;
  {
    ConnectionStream stream(sock, Milliseconds(read_timeout_sec_, read_timeout_usec_),
                            Milliseconds(write_timeout_sec_, write_timeout_usec_));
    const std::string& address = stream.remote_address();
    if (Admit(address)) {
      served = ServeRequests(stream);
      Release(address);
    } else {
      stream.Refuse(429, R"({"error":"too_many_requests","message":"more than )" +
                             std::to_string(limits_.per_address) + " connections at once from " + address +
                             R"(: try again later"})");
    }
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return served;
}

bool GuardedServer::ServeRequests(ConnectionStream& stream) {
  const auto others_wait = [this] { return waiting_.load() > 0 || svr_sock_ == INVALID_SOCKET; };
  const auto head_time = std::chrono::seconds(limits_.head_seconds);
  // The first request's head is due a head time after the connection was accepted, however
  // long it waited for a worker.
  Clock::time_point wait_until = accepted_at + head_time;
  bool ok = false;
  for (std::size_t count = 1; count <= keep_alive_max_count_ && svr_sock_ != INVALID_SOCKET; ++count) {
    if (!stream.AwaitRequest(wait_until, others_wait)) break;
    stream.BeginRequest(count == 1 ? wait_until : Clock::now() + head_time);
    const bool last = count == keep_alive_max_count_ || others_wait();
    bool client_closes = false;
    BeginRequest();
    const bool processed = process_request(stream, last, client_closes, nullptr);
    ok = stream.Flush() && processed;  // its answer leaves in one piece (ConnectionStream)
    if (!ok || last || client_closes || stream.Spoiled()) break;
    wait_until = Clock::now() + std::chrono::seconds(limits_.keep_alive_seconds);
  }
  return ok;
}

bool GuardedServer::Admit(const std::string& address) {
  if (limits_.per_address <= 0 || address.empty()) return true;
  std::lock_guard<std::mutex> lock(addresses_mutex_);
  int& count = connections_by_address_[address];
  if (count >= limits_.per_address) return false;
  ++count;
  return true;
}

void GuardedServer::Release(const std::string& address) {
  if (limits_.per_address <= 0 || address.empty()) return;
  std::lock_guard<std::mutex> lock(addresses_mutex_);
  const auto found = connections_by_address_.find(address);
  if (found != connections_by_address_.end() && --found->second <= 0) connections_by_address_.erase(found);
}

}  // namespace rectify::web

// Child processes of the tests: the rectify binary (RECTIFY_BINARY, defined by the test's
// CMake target) or any other program, with their output read line by line.
#pragma once

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace rectify::testing {

// A child process running `binary`, with its stdout and stderr read through a pipe; killed
// (SIGKILL) if still running when the object goes away.
class ChildProcess {
 public:
  ChildProcess(std::string binary, std::vector<std::string> args) {
    int out[2];
    REQUIRE(pipe(out) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      dup2(out[1], STDERR_FILENO);
      close(out[0]);
      std::vector<char*> argv;
      argv.push_back(binary.data());
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    output_ = fdopen(out[0], "r");
  }
  ~ChildProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      Wait();
    }
    if (draining_.joinable()) draining_.join();  // ends at the output's end: the process is gone
    if (output_) fclose(output_);
  }

  // Reads (and drops) the rest of the output on a thread of its own, so that a long-running
  // process that logs every request never blocks on a full pipe. No ReadUntil after this.
  void DrainInBackground() {
    draining_ = std::thread([this] {
      char buffer[4096];
      while (fgets(buffer, sizeof buffer, output_) != nullptr) {
      }
    });
  }

  // Reads output lines until one contains `marker`; returns that line ("" at end of output).
  std::string ReadUntil(const std::string& marker) {
    char line[4096];
    while (fgets(line, sizeof line, output_) != nullptr) {
      log_ += line;
      if (std::string(line).find(marker) != std::string::npos) return line;
    }
    return "";
  }
  // The port from the "serving ... on http://127.0.0.1:PORT/api/health" line.
  int WaitForPort() {
    const std::string line = ReadUntil("serving");
    const auto colon = line.find("127.0.0.1:");
    REQUIRE(colon != std::string::npos);
    return std::stoi(line.substr(colon + 10));
  }
  void Signal(int sig) { kill(pid_, sig); }
  pid_t Pid() const { return pid_; }
  // The exit status as waitpid reports it.
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return status;
  }
  // The exit status as waitpid reports it, or nullopt when the process is still running after
  // `limit` (it is left running).
  std::optional<int> WaitFor(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return status;
      }
      if (std::chrono::steady_clock::now() >= until) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  std::string RestOfOutput() {
    ReadUntil("\x01never");
    return log_;
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  FILE* output_ = nullptr;
  std::thread draining_;
  std::string log_;
};

#ifdef RECTIFY_BINARY
// The rectify binary of this build.
class RectifyProcess : public ChildProcess {
 public:
  explicit RectifyProcess(std::vector<std::string> args) : ChildProcess(RECTIFY_BINARY, std::move(args)) {}
};
#endif

}  // namespace rectify::testing

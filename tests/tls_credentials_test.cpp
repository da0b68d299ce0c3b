// Server credentials from PEM files: chains, precise configuration errors,
// and reload (as on SIGHUP): new connections get the new certificate, a
// session made before the reload keeps the old one, a failed reload keeps
// the current context.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "httpcore/tls/context.hpp"
#include "httpcore/tls/session.hpp"
#include "support/tls_certs.hpp"
#include "support/tls_pair.hpp"

namespace {

namespace fs = std::filesystem;
namespace tls = httpcore::tls;
using httpcore::test::pem_pair;
using httpcore::test::test_ca;
using httpcore::test::tls_pair;

constexpr std::int64_t t0 = 1'000'000;

class TlsCredentials : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("httpcore-tls-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(std::string_view name) const { return (dir_ / name).string(); }
  void write(std::string_view name, std::string_view text) const {
    std::ofstream(path(name), std::ios::binary | std::ios::trunc) << text;
  }
  // cert.pem and key.pem in the directory, with the CA appended to the chain.
  void install(const pem_pair& leaf) const {
    write("cert.pem", leaf.cert + ca_.pem());
    write("key.pem", leaf.key);
  }
  tls::server_config files_config() const {
    tls::server_config config;
    config.certificates.push_back({path("cert.pem"), path("key.pem"), {}, {}});
    return config;
  }
  tls::state handshake(tls::session server, std::string_view host) const {
    tls::client_config config;
    config.ca_pem = ca_.pem();
    tls_pair p(tls::session::connect(tls::client_context::make(config), host, t0),
               std::move(server));
    p.pump();
    return p.client.state();
  }

  test_ca ca_;
  fs::path dir_;
};

TEST_F(TlsCredentials, ServesTheChainFromFiles) {
  install(ca_.issue("DNS:a.test"));
  tls::server_credentials creds(files_config(), t0);
  EXPECT_EQ(handshake(tls::session::accept(creds.current(), t0), "a.test"),
            tls::state::established);
}

TEST_F(TlsCredentials, ReloadServesNewConnectionsOnly) {
  install(ca_.issue("DNS:a.test"));
  tls::server_credentials creds(files_config(), t0);
  const auto before = creds.current();
  auto old_session = tls::session::accept(creds.current(), t0);  // made before the reload

  install(ca_.issue("DNS:b.test"));
  creds.reload();
  EXPECT_NE(creds.current(), before);
  EXPECT_EQ(handshake(tls::session::accept(creds.current(), t0), "b.test"),
            tls::state::established);
  EXPECT_EQ(handshake(tls::session::accept(creds.current(), t0), "a.test"), tls::state::failed);
  EXPECT_EQ(handshake(std::move(old_session), "a.test"), tls::state::established)
      << "a session made before the reload lost its certificate";
}

TEST_F(TlsCredentials, FailedReloadKeepsTheCurrentContext) {
  install(ca_.issue("DNS:a.test"));
  tls::server_credentials creds(files_config(), t0);
  const auto before = creds.current();

  write("key.pem", "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");
  try {
    creds.reload();
    FAIL() << "a broken key was accepted";
  } catch (const tls::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("key file '" + path("key.pem") + "'"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(creds.current(), before);

  // A key of another certificate.
  write("key.pem", ca_.issue("DNS:a.test").key);
  try {
    creds.reload();
    FAIL() << "a key that does not match was accepted";
  } catch (const tls::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("does not match"), std::string::npos) << e.what();
  }
  EXPECT_EQ(creds.current(), before);
  EXPECT_EQ(handshake(tls::session::accept(creds.current(), t0), "a.test"),
            tls::state::established);
}

TEST_F(TlsCredentials, PreciseConfigurationErrors) {
  auto message = [](const tls::server_config& config) -> std::string {
    try {
      tls::server_context::make(config);
    } catch (const tls::config_error& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_EQ(message({}), "server: no certificate configured");

  tls::server_config missing;
  missing.certificates.push_back({path("nope.pem"), path("key.pem"), {}, {}});
  const std::string m = message(missing);
  EXPECT_NE(m.find("certificate 1: chain file '" + path("nope.pem") + "'"), std::string::npos) << m;

  write("empty.pem", "");
  tls::server_config empty;
  empty.certificates.push_back({path("empty.pem"), path("key.pem"), {}, {}});
  EXPECT_NE(message(empty).find("no start line"), std::string::npos) << message(empty);

  tls::server_config alpn;
  alpn.certificates.push_back(ca_.issue("DNS:a.test").config());
  alpn.alpn = {""};
  EXPECT_NE(message(alpn).find("alpn"), std::string::npos) << message(alpn);

  tls::client_config client;
  client.ca_file = path("nope.pem");
  try {
    tls::client_context::make(client);
    ADD_FAILURE() << "a missing CA file was accepted";
  } catch (const tls::config_error& e) {
    EXPECT_NE(std::string(e.what()).find(path("nope.pem")), std::string::npos) << e.what();
  }
}

}  // namespace

package publish_test

import (
	"testing"

	"github.com/cachebust/cachebust/internal/realpart"
)

// TestMain names the tests that did not run for want of an S3 server.
func TestMain(m *testing.M) { realpart.Main(m, "publish") }

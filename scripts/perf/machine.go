package main

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// host describes the machine a run measured on.
type host struct {
	cpus   int
	cpu    string
	kernel string
	fs     string
}

// machine describes this machine and the file system of work.
func machine(work string) host {
	h := host{cpus: runtime.NumCPU(), cpu: "unknown CPU", kernel: runtime.GOOS, fs: "unknown"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				h.cpu = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		h.kernel = "Linux " + strings.TrimSpace(string(b))
	}
	h.fs = fsType(work)
	return h
}

// fsType names the file system that holds dir, as far as it knows it.
func fsType(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return "unknown"
	}
	switch uint32(st.Type) {
	case 0xef53:
		return "ext4"
	case 0x01021994:
		return "tmpfs"
	case 0x9123683e:
		return "btrfs"
	case 0x58465342:
		return "xfs"
	case 0x794c7630:
		return "overlayfs"
	}
	return fmt.Sprintf("file system 0x%x", st.Type)
}

// loadAvg returns the machine's load average over the last minute, as
// /proc/loadavg has it, or "unknown".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// line returns the sentence that says when, where and how a section was
// measured; load is the load average when it started.
func (h host) line(cfg *config, section, load string) string {
	runs := cfg.runs
	switch section {
	case "fixed":
		runs = cfg.fixedRuns
	case "brotli":
		runs = cfg.brotliRuns
	}
	how := fmt.Sprintf("rounds: %d warm-up, %d measured", cfg.warm, runs)
	if section == "runtime" {
		how = fmt.Sprintf("go test -count %d -benchtime %s, the load test -benchtime %s", cfg.count, cfg.benchtime, cfg.loadtime)
		if cfg.race {
			how += ", with -race"
		}
	}
	return fmt.Sprintf("Measured %s on %d × %s, %s, %s, file system: %s; %s; load average %s at the start, %s at the end.",
		time.Now().UTC().Format("2006-01-02"), h.cpus, h.cpu, h.kernel, runtime.Version(), h.fs, how, load, loadAvg())
}

// stat counts the regular files of t and their bytes, dotfiles included.
func (t *tree) stat() error {
	t.files, t.bytes = 0, 0
	return filepath.WalkDir(t.dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			t.files++
			t.bytes += info.Size()
		}
		return nil
	})
}

// mib formats bytes in MiB.
func mib[T int64 | uint64](bytes T) string {
	return fmt.Sprintf("%.1f", float64(bytes)/(1<<20))
}

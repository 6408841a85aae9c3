package ports

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestParsePorts(t *testing.T) {
	tests := []struct {
		spec string
		want []int
	}{
		{"80", []int{80}},
		{"1-3,2,10", []int{1, 2, 3, 10}},
		{" 22 , 80 ", []int{22, 80}},
		{"443,80,443", []int{80, 443}},
		{"-3", []int{1, 2, 3}},
		{"65534-", []int{65534, 65535}},
		{"65535", []int{65535}},
		{"8080-8082,3306", []int{3306, 8080, 8081, 8082}},
	}
	for _, tt := range tests {
		got, err := ParsePorts(tt.spec)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParsePorts(%q) = %v, %v; want %v", tt.spec, got, err, tt.want)
		}
	}
}

func TestParsePortsWords(t *testing.T) {
	tests := []struct {
		spec string
		n    int
	}{
		{"all", 65535},
		{"-", 65535},
		{"top100", 100},
		{"top10,80", 10}, // 80 is among the top 10
		{"default", len(DefaultPorts())},
	}
	for _, tt := range tests {
		got, err := ParsePorts(tt.spec)
		if err != nil || len(got) != tt.n || !slices.IsSorted(got) {
			t.Errorf("ParsePorts(%q): %d ports (sorted %v), %v; want %d sorted", tt.spec, len(got), slices.IsSorted(got), err, tt.n)
		}
	}
}

func TestParsePortsErrors(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"70000", `ports "70000": out of range 1-65535`},
		{"0", `ports "0": out of range 1-65535`},
		{"", `ports "": empty`},
		{"80,,443", `ports "": empty`},
		{"http", `ports "http": not a port number`},
		{"5-3", `ports "5-3": range ends before it starts`},
		{"1-x", `ports "1-x": not a port number`},
		{"1-70000", `ports "1-70000": out of range 1-65535`},
		{"top0", `ports "top0": want top<N> with N ≥ 1`},
		{"+80", `ports "+80": not a port number`},
		{"99999999999999999999", `ports "99999999999999999999": out of range 1-65535`},
	}
	for _, tt := range tests {
		_, err := ParsePorts(tt.spec)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParsePorts(%q) error %v, want %s", tt.spec, err, tt.want)
		}
	}
}

func TestFormatPortsRoundTrip(t *testing.T) {
	tests := []struct {
		ports []int
		want  string
	}{
		{nil, ""},
		{[]int{22}, "22"},
		{[]int{1, 2, 3, 5, 7, 8}, "1-3,5,7-8"},
		{AllPorts(), "1-65535"},
	}
	for _, tt := range tests {
		got := FormatPorts(tt.ports)
		if got != tt.want {
			t.Errorf("FormatPorts(%v) = %q, want %q", tt.ports, got, tt.want)
		}
		if got == "" {
			continue
		}
		back, err := ParsePorts(got)
		if err != nil || !slices.Equal(back, tt.ports) {
			t.Errorf("ParsePorts(%q) = %v, %v; want %v", got, back, err, tt.ports)
		}
	}
}

func TestDefaultPorts(t *testing.T) {
	d := DefaultPorts()
	if !slices.IsSorted(d) || len(slices.Compact(slices.Clone(d))) != len(d) {
		t.Error("DefaultPorts is not sorted without duplicates")
	}
	for _, p := range reviewPorts {
		if _, ok := slices.BinarySearch(d, int(p)); !ok {
			t.Errorf("review port %d missing from DefaultPorts", p)
		}
	}
	for _, p := range TopPorts(1000) {
		if _, ok := slices.BinarySearch(d, p); !ok {
			t.Errorf("top port %d missing from DefaultPorts", p)
		}
	}
	if got := len(TopPorts(100000)); got != len(topPorts) {
		t.Errorf("TopPorts(100000) has %d ports, want all %d", got, len(topPorts))
	}
	if got := TopPorts(-1); len(got) != 0 {
		t.Errorf("TopPorts(-1) = %v, want none", got)
	}
}

// TestTopPortsMatchNmap compares with nmap's own --top-ports lists. nmap prints the list it
// would scan without sending a packet when it is given no target (-iL /dev/null).
func TestTopPortsMatchNmap(t *testing.T) {
	if _, err := exec.LookPath("nmap"); err != nil {
		t.Skip("nmap is not installed")
	}
	for _, n := range []int{10, 100, 1000, 5000} {
		out, err := exec.Command("nmap", "-sT", "--top-ports", itoa(n), "-oX", "-", "-iL", "/dev/null").Output()
		if err != nil {
			t.Fatalf("nmap: %v", err)
		}
		_, rest, ok := strings.Cut(string(out), ` services="`)
		spec, _, _ := strings.Cut(rest, `"`)
		if !ok {
			t.Fatalf("no services list in nmap's output")
		}
		want, err := ParsePorts(spec)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Sorted(slices.Values(TopPorts(n)))
		if !slices.Equal(got, want) {
			t.Errorf("TopPorts(%d) differs from nmap --top-ports %d", n, n)
		}
	}
}

func itoa(n int) string { return FormatPorts([]int{n}) }

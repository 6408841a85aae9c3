package smtp

import (
	"fmt"
	"strings"
	"time"
)

// Dialogue is the transcript of one connection (or of a test that needed several): every
// line the client sent ("C"), every line the server sent ("S"), and notes ("#": the TLS
// handshake, errors, the scan origin), each with its time.
type Dialogue struct {
	ID    string `json:"id"`    // the evidence ID: "session", "relay", "enum"
	Title string `json:"title"` // what the dialogue tested
	Lines []Line `json:"lines"`
	// Truncated counts lines left out past the dialogue's size bound.
	Truncated int `json:"truncated,omitempty"`

	size int
}

// Line is one line of a dialogue.
type Line struct {
	At   time.Time `json:"at"`
	Dir  string    `json:"dir"` // "C" client, "S" server, "#" note
	Text string    `json:"text"`
}

// add appends a line, keeping the dialogue within maxDialogBytes.
func (d *Dialogue) add(at time.Time, dir, text string) {
	if d.size+len(text) > maxDialogBytes {
		d.Truncated++
		return
	}
	d.size += len(text) + 32
	d.Lines = append(d.Lines, Line{At: at, Dir: dir, Text: text})
}

// note appends a "#" line.
func (d *Dialogue) note(at time.Time, format string, args ...any) {
	d.add(at, "#", fmt.Sprintf(format, args...))
}

// reply appends a server reply, one line per line of it.
func (d *Dialogue) reply(at time.Time, r Reply) {
	for i, l := range r.Lines {
		sep := "-"
		if i == len(r.Lines)-1 {
			sep = " "
		}
		d.add(at, "S", fmt.Sprintf("%03d%s%s", r.Code, sep, l))
	}
}

// Render writes the dialogue as text, one line each: "2006-01-02T15:04:05.000Z C: EHLO …",
// "… S: 250 …", "… # note".
func (d *Dialogue) Render() string {
	var b strings.Builder
	for _, l := range d.Lines {
		sep := ": "
		if l.Dir == "#" {
			sep = " "
		}
		fmt.Fprintf(&b, "%s %s%s%s\n", l.At.UTC().Format("2006-01-02T15:04:05.000Z"), l.Dir, sep, l.Text)
	}
	if d.Truncated > 0 {
		fmt.Fprintf(&b, "# %d more lines left out (transcript bound %d bytes)\n", d.Truncated, maxDialogBytes)
	}
	return b.String()
}

// Sent returns the client's lines of the dialogue, each ended by CRLF: the bytes the
// client wrote, for golden tests and audits.
func (d *Dialogue) Sent() string {
	var b strings.Builder
	for _, l := range d.Lines {
		if l.Dir == "C" {
			b.WriteString(l.Text)
			b.WriteString("\r\n")
		}
	}
	return b.String()
}

//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package state

import (
	"errors"
	"os"
)

// errWouldBlock is never returned here.
var errWouldBlock = errors.New("lock held")

var errNoFlock = errors.New("flock(2) is not available on this system")

func flock(*os.File) error   { return errNoFlock }
func funlock(*os.File) error { return errNoFlock }

package report

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteEvidencePack writes the evidence pack of r to dst: a .zip file when dst ends in
// ".zip", a directory otherwise. It is written atomically: into a temporary file or
// directory beside dst, then renamed, so a reader never sees half a pack. An existing
// directory at dst is replaced only when it is empty or an earlier pack (it holds
// manifest.json); an existing .zip is replaced. Like the reports, the pack is readable by its
// owner only (files 0600, directory 0700): it shows the site's weak points. o is not used
// yet; it is taken for symmetry with the report writers.
func WriteEvidencePack(dst string, r *Report, o Options) error {
	files, manifest, err := buildPack(r)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("evidence pack %s: %w", dst, err)
	}
	if strings.HasSuffix(strings.ToLower(dst), ".zip") {
		err = writePackZip(dst, files, manifest)
	} else {
		err = writePackDir(dst, files, manifest)
	}
	if err != nil {
		return fmt.Errorf("evidence pack %s: %w", dst, err)
	}
	return nil
}

func writePackZip(dst string, files []packEntry, manifest []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	zw := zip.NewWriter(tmp)
	for _, f := range append(files, packEntry{name: ManifestName, data: manifest}) {
		hdr := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: f.time}
		hdr.SetMode(0o600)
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := w.Write(f.data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func writePackDir(dst string, files []packEntry, manifest []byte) (err error) {
	tmp, err := os.MkdirTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	for _, f := range append(files, packEntry{name: ManifestName, data: manifest}) {
		if err := writeSynced(filepath.Join(tmp, f.name), f.data); err != nil {
			return err
		}
	}
	return replaceDir(tmp, dst)
}

// writeSynced writes a new file and syncs it to disk.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// replaceDir renames the finished pack tmp to dst. An earlier pack or an empty directory at
// dst is moved aside first and removed after; anything else at dst is left alone.
func replaceDir(tmp, dst string) error {
	info, err := os.Lstat(dst)
	if errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dst)
	}
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dst)
	if !info.IsDir() || err != nil {
		return fmt.Errorf("%s exists and is not a directory that can be replaced", dst)
	}
	if _, err := os.Lstat(filepath.Join(dst, ManifestName)); len(entries) > 0 && err != nil {
		return fmt.Errorf("%s exists and is not an evidence pack (no %s): not replacing it", dst, ManifestName)
	}
	old := tmp + ".old"
	if err := os.Rename(dst, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Rename(old, dst)
		return err
	}
	return os.RemoveAll(old)
}

package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/framsyn/framsyn/internal/errs"
)

// Bucket is Blobs in a bucket of an S3-compatible object store (MinIO,
// SeaweedFS, a Ceph gateway, Amazon S3): one object per key, under an
// optional prefix, with the detected type as its Content-Type. An object
// is visible only once its upload completes, so a reader never sees part
// of one.
type Bucket struct {
	client *minio.Client
	core   minio.Core // the same client, for reads it streams itself
	bucket string
	prefix string // "" or ending in "/"
	where  string
}

var _ Blobs = (*Bucket)(nil)

// OpenBucket connects to the bucket a URL names and checks that it
// exists:
//
//	s3://[ACCESS:SECRET@]HOST[:PORT]/BUCKET[/PREFIX][?secure=false&region=REGION]
//
// Without ACCESS:SECRET the keys come from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, or MINIO_ROOT_USER and MINIO_ROOT_PASSWORD.
// secure=false speaks plain HTTP (a store on the same host or network).
func OpenBucket(ctx context.Context, rawURL string) (*Bucket, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("media: blob URL: not a URL") // the error would repeat the secret
	}
	if u.Scheme != "s3" || u.Host == "" {
		return nil, errors.New("media: blob URL must be s3://[ACCESS:SECRET@]HOST[:PORT]/BUCKET[/PREFIX][?secure=false&region=REGION]")
	}
	bucket, prefix, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	if bucket == "" {
		return nil, errors.New("media: blob URL names no bucket (s3://HOST/BUCKET)")
	}
	if prefix != "" {
		prefix = strings.TrimSuffix(prefix, "/") + "/"
	}
	q := u.Query()
	secure := true
	if v := q.Get("secure"); v != "" {
		if secure, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("media: blob URL: secure=%q is not true or false", v)
		}
	}
	for k := range q {
		if k != "secure" && k != "region" {
			return nil, fmt.Errorf("media: blob URL: unknown parameter %q (secure, region)", k)
		}
	}
	creds := credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.EnvMinio{}})
	if u.User != nil {
		secret, _ := u.User.Password()
		creds = credentials.NewStaticV4(u.User.Username(), secret, "")
	}
	client, err := minio.New(u.Host, &minio.Options{Creds: creds, Secure: secure, Region: q.Get("region")})
	if err != nil {
		return nil, fmt.Errorf("media: blob store %s: %w", u.Host, err)
	}
	b := &Bucket{client: client, core: minio.Core{Client: client}, bucket: bucket, prefix: prefix, where: strings.TrimSuffix("s3://"+u.Host+"/"+bucket+"/"+prefix, "/")}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ok, err := client.BucketExists(cctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("media: blob store %s: %w", b.where, err)
	}
	if !ok {
		return nil, fmt.Errorf("media: blob store %s: no bucket %q (create it first)", b.where, bucket)
	}
	return b, nil
}

// bucketErr maps a missing object to NotFound.
func bucketErr(err error) error {
	if r := minio.ToErrorResponse(err); r.StatusCode == http.StatusNotFound || r.Code == minio.NoSuchKey {
		return errs.Wrap(errs.NotFound, "error.not_found", err)
	}
	return fmt.Errorf("media: blob store: %w", err)
}

// Put uploads the file in one request: attachments are far below the
// part size.
func (b *Bucket) Put(ctx context.Context, key, path string, size int64, ctype string) error {
	defer os.Remove(path)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	defer f.Close()
	_, err = b.client.PutObject(ctx, b.bucket, b.prefix+key, f, size, minio.PutObjectOptions{ContentType: ctype, PartSize: 64 << 20})
	if err != nil {
		return fmt.Errorf("media: blob store: put %s: %w", key, err)
	}
	return nil
}

// Get starts reading the object. Its first bytes are read at once (the
// Store looks at them for the type), and kept, so that reading from the
// start again costs no second request.
func (b *Bucket) Get(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	body, info, _, err := b.core.GetObject(ctx, b.bucket, b.prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, bucketErr(err)
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		body.Close()
		return nil, bucketErr(err)
	}
	return &bucketFile{ctx: ctx, b: b, key: key, body: body, head: head[:n], size: info.Size, pos: int64(n)}, nil
}

// Stat asks for the object's size and time.
func (b *Bucket) Stat(ctx context.Context, key string) (BlobInfo, error) {
	info, err := b.client.StatObject(ctx, b.bucket, b.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		return BlobInfo{}, bucketErr(err)
	}
	return BlobInfo{Key: key, Size: info.Size, Modified: info.LastModified}, nil
}

// Touch copies the object onto itself, which S3 allows only with new
// metadata and which sets its Last-Modified to now.
func (b *Bucket) Touch(ctx context.Context, key string) error {
	info, err := b.client.StatObject(ctx, b.bucket, b.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		return bucketErr(err)
	}
	_, err = b.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: b.bucket, Object: b.prefix + key, ReplaceMetadata: true, ContentType: info.ContentType,
			UserMetadata: map[string]string{"Touched": time.Now().UTC().Format(time.RFC3339)}},
		minio.CopySrcOptions{Bucket: b.bucket, Object: b.prefix + key})
	if err != nil {
		return bucketErr(err)
	}
	return nil
}

// Delete looks at the object's time once more, then removes it. Unlike
// Dir's, the look and the removal are two requests: an upload of the very
// same bytes landing between them loses its object. A sweep spares
// everything newer than its cutoff, so this needs a file unused for that
// long to be uploaded again within that moment.
func (b *Bucket) Delete(ctx context.Context, key string, notAfter time.Time) (bool, error) {
	if !notAfter.IsZero() {
		info, err := b.Stat(ctx, key)
		if errs.Is(err, errs.NotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if !info.Modified.Before(notAfter) {
			return false, nil
		}
	}
	if err := b.client.RemoveObject(ctx, b.bucket, b.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		return false, bucketErr(err)
	}
	return true, nil
}

// List lists the objects under the prefix, without going into "folders"
// below it.
func (b *Bucket) List(ctx context.Context, fn func(BlobInfo) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the listing when fn stops it
	for obj := range b.client.ListObjects(ctx, b.bucket, minio.ListObjectsOptions{Prefix: b.prefix}) {
		if obj.Err != nil {
			return fmt.Errorf("media: blob store: list: %w", obj.Err)
		}
		key := strings.TrimPrefix(obj.Key, b.prefix)
		if strings.HasSuffix(key, "/") {
			continue // a common prefix, not an object
		}
		if err := fn(BlobInfo{Key: key, Size: obj.Size, Modified: obj.LastModified}); err != nil {
			return err
		}
	}
	return nil
}

// String is the bucket's URL without the keys.
func (b *Bucket) String() string { return b.where }

// bucketFile reads an object as a file: its first bytes from memory, the
// rest from the response streaming in, and a new ranged request only when
// a reader seeks elsewhere (http.ServeContent answering a Range).
type bucketFile struct {
	ctx  context.Context
	b    *Bucket
	key  string
	body io.ReadCloser // nil after a failed request
	head []byte
	size int64
	off  int64 // where the next Read reads
	pos  int64 // where body stands
}

func (f *bucketFile) Read(p []byte) (int, error) {
	if f.off >= f.size {
		return 0, io.EOF
	}
	if f.off < int64(len(f.head)) {
		n := copy(p, f.head[f.off:])
		f.off += int64(n)
		return n, nil
	}
	if f.body == nil || f.pos != f.off {
		if f.body != nil {
			f.body.Close()
			f.body = nil
		}
		var opts minio.GetObjectOptions
		if err := opts.SetRange(f.off, 0); err != nil {
			return 0, err
		}
		body, _, _, err := f.b.core.GetObject(f.ctx, f.b.bucket, f.b.prefix+f.key, opts)
		if err != nil {
			return 0, bucketErr(err)
		}
		f.body, f.pos = body, f.off
	}
	n, err := f.body.Read(p)
	f.off += int64(n)
	f.pos += int64(n)
	return n, err
}

func (f *bucketFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.off
	case io.SeekEnd:
		offset += f.size
	default:
		return 0, errors.New("media: seek: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("media: seek: negative position")
	}
	f.off = offset
	return offset, nil
}

func (f *bucketFile) Close() error {
	if f.body == nil {
		return nil
	}
	err := f.body.Close()
	f.body = nil
	return err
}

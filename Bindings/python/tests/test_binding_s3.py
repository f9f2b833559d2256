"""Writing to S3 through s3fs against a real S3-compatible server: moto's server mode, started
by these tests on 127.0.0.1 (a free port). Single files and hive-partitioned datasets are read
back with pyarrow over s3fs; aborted and failed writers leave no object and no pending
multipart upload; large files go up as real multipart uploads, completed only at close."""

from __future__ import annotations

import datetime
import random
import string
from typing import Any, Iterator

import pytest

moto_server = pytest.importorskip("moto.server", reason="moto[server] is in Tests/Interop/requirements.txt")
s3fs = pytest.importorskip("s3fs")
boto3 = pytest.importorskip("boto3")

import pyarrow.dataset as ds  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from parquet_writer import ParquetWriterError, Partition, Writer  # noqa: E402

# Reading through a Python filesystem (fsspec) with pyarrow's default pre-buffering leaves
# read-ahead work running after read_table returns; when it outlives the interpreter the
# process aborts at exit ("terminate called without an active exception": apache/arrow#33975,
# #34314; measured here: 2 of 30 runs of a plain pyarrow write + read_table(fs.open(...)), 0 of
# 40 with pre_buffer=False). These reads are small: pre-buffering buys nothing.
NO_PRE_BUFFER = ds.ParquetFileFormat(default_fragment_scan_options=ds.ParquetFragmentScanOptions(pre_buffer=False))

SCHEMA = [("id", "int64", False), ("name", "string"), ("country", "string"), ("day", "date")]
BUCKET = "lake"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A fresh bucket; yields storage_options for it (dummy credentials: moto checks none)."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    options = {"client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"}, "skip_instance_cache": True}
    try:
        yield {"options": options, "client": client}
    finally:
        for key in objects(client):
            client.delete_object(Bucket=BUCKET, Key=key)
        for upload in client.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []):
            client.abort_multipart_upload(Bucket=BUCKET, Key=upload["Key"], UploadId=upload["UploadId"])
        client.delete_bucket(Bucket=BUCKET)


def objects(client: Any) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def pending_uploads(client: Any) -> list[str]:
    return [u["Key"] for u in client.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])]


def records(start: int, count: int) -> list[dict[str, Any]]:
    return [
        {"id": i, "name": f"n{i}" if i % 7 else None, "country": ["DE", "FR", "US", None][i % 4],
         "day": f"2024-03-{1 + i % 3:02d}"}
        for i in range(start, start + count)
    ]


def big_records(count: int) -> list[dict[str, Any]]:
    """Rows whose file is several MB (incompressible names), for multipart uploads."""
    rng = random.Random(7)
    return [
        {"id": i, "name": "".join(rng.choices(string.ascii_letters, k=40)), "country": "DE", "day": "2024-03-01"}
        for i in range(count)
    ]


def reader(s3: dict[str, Any]) -> Any:
    return s3fs.S3FileSystem(**s3["options"])


def test_a_single_file_appears_at_close_and_reads_back(s3: dict[str, Any]) -> None:
    writer = Writer(f"s3://{BUCKET}/x.parquet", SCHEMA, compression="zstd", storage_options=s3["options"])
    writer.write(records(0, 500))
    writer.write(records(500, 500))
    assert objects(s3["client"]) == []  # nothing visible before close
    summary = writer.close()
    assert summary["files"][0]["path"] == f"s3://{BUCKET}/x.parquet"
    assert objects(s3["client"]) == ["x.parquet"]
    table = pq.read_table(f"{BUCKET}/x.parquet", filesystem=reader(s3), pre_buffer=False)
    assert table.to_pylist() == [{**r, "day": datetime.date.fromisoformat(r["day"])} for r in records(0, 1000)]
    size = s3["client"].head_object(Bucket=BUCKET, Key="x.parquet")["ContentLength"]
    assert summary["files"][0]["bytes"] == size


def test_a_large_file_is_a_multipart_upload_completed_only_at_close(s3: dict[str, Any]) -> None:
    options = {**s3["options"], "default_block_size": 5 * 2**20}
    rows = big_records(400_000)
    writer = Writer(f"s3://{BUCKET}/big.parquet", SCHEMA, compression="none", row_group_rows=50_000,
                    dictionary=False, storage_options=options)
    for start in range(0, len(rows), 100_000):
        writer.write(rows[start:start + 100_000])
    # Parts are uploaded while writing, but the object does not exist until the upload completes.
    assert pending_uploads(s3["client"]) == ["big.parquet"]
    assert objects(s3["client"]) == []
    writer.close()
    assert pending_uploads(s3["client"]) == [] and objects(s3["client"]) == ["big.parquet"]
    file = pq.ParquetFile(f"{BUCKET}/big.parquet", filesystem=reader(s3))
    assert file.metadata.num_rows == 400_000 and file.metadata.num_row_groups == 8
    assert file.read(columns=["id"]).column("id").to_pylist() == list(range(400_000))


def test_a_partitioned_dataset_reads_back_with_hive_partitioning(s3: dict[str, Any]) -> None:
    with Writer(directory=f"s3://{BUCKET}/ds", schema=SCHEMA, storage_options=s3["options"],
                partition_by=["country", Partition("day", "month")], max_rows_per_file=50) as writer:
        writer.write(records(0, 300))
        first = objects(s3["client"])
        committed = writer.commit()
        writer.write(records(300, 200))
    # Files appear one by one: those finished by the first write were there before commit.
    assert first and all(key.startswith("ds/country=") for key in first)
    assert len(objects(s3["client"])) == len(writer.files)
    assert committed["ok"] and committed["files"]
    assert all(f["path"].startswith(f"s3://{BUCKET}/ds/country=") for f in writer.files)
    dataset = ds.dataset(f"{BUCKET}/ds", filesystem=reader(s3), format=NO_PRE_BUFFER, partitioning="hive")
    back = sorted(dataset.to_table().to_pylist(), key=lambda r: r["id"])
    assert [r["id"] for r in back] == list(range(500))
    expected = records(0, 500)
    assert [r["name"] for r in back] == [r["name"] for r in expected]
    assert [r["country"] for r in back] == [r["country"] for r in expected]
    assert {r["day_month"] for r in back} == {"2024-03"}


def test_an_aborted_writer_leaves_no_object_and_no_upload(s3: dict[str, Any]) -> None:
    small = Writer(f"s3://{BUCKET}/small.parquet", SCHEMA, storage_options=s3["options"])
    small.write(records(0, 100))
    small.abort()
    options = {**s3["options"], "default_block_size": 5 * 2**20}
    big = Writer(f"s3://{BUCKET}/big.parquet", SCHEMA, compression="none", dictionary=False,
                 row_group_rows=50_000, storage_options=options)
    big.write(big_records(300_000))
    assert pending_uploads(s3["client"]) == ["big.parquet"]  # parts already uploaded
    big.abort()
    with pytest.raises(RuntimeError):
        with Writer(directory=f"s3://{BUCKET}/ds", schema=SCHEMA, partition_by=["country"],
                    storage_options=s3["options"]) as dataset:
            dataset.write(records(0, 40))
            raise RuntimeError("the producer failed")
    assert objects(s3["client"]) == [] and pending_uploads(s3["client"]) == []


def test_a_failing_upload_is_an_io_error_and_leaves_nothing(s3: dict[str, Any]) -> None:
    # The bucket does not exist: the multipart upload fails as the first part goes up, in
    # the middle of write(); the error carries s3fs's exception as its cause.
    options = {**s3["options"], "default_block_size": 5 * 2**20}
    writer = Writer("s3://no-such-bucket/x.parquet", SCHEMA, compression="none", dictionary=False,
                    row_group_rows=50_000, storage_options=options)
    with pytest.raises(ParquetWriterError) as caught:
        writer.write(big_records(300_000))
    assert caught.value.code == "io_error"
    assert caught.value.__cause__ is not None
    with pytest.raises(ParquetWriterError) as closed:
        writer.close()
    assert closed.value.code == "writer_closed"
    names = [b["Name"] for b in s3["client"].list_buckets()["Buckets"]]
    assert names == [BUCKET] and objects(s3["client"]) == [] and pending_uploads(s3["client"]) == []
    # A small file fails at close, when its single request is made.
    small = Writer("s3://no-such-bucket/y.parquet", SCHEMA, storage_options=s3["options"])
    small.write(records(0, 10))
    with pytest.raises(ParquetWriterError) as at_close:
        small.close()
    assert at_close.value.code == "io_error" and at_close.value.__cause__ is not None

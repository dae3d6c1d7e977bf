"""A TCP relay that behaves like a network link between two machines: each chunk arrives `--delay-ms` later.

    python bench/delay_link.py --listen 5445 --to 5441 --delay-ms 10

The failover drill streams the replica's WAL through it, so the replica is as far from the primary as a machine in
another data centre, instead of microseconds away on the same machine. Killing this process (SIGKILL) cuts the link:
whatever was still on its way is lost, as when the primary's machine dies with data in its network buffers.
It runs as a process of its own so the load generator's threads cannot slow it down.
"""

import argparse
import asyncio


async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()

    async def receive() -> None:
        while data := await reader.read(65536):
            queue.put_nowait((loop.time() + delay, data))
        queue.put_nowait((loop.time() + delay, b""))

    async def deliver() -> None:
        while True:
            due, data = await queue.get()
            await asyncio.sleep(max(0.0, due - loop.time()))
            if not data:
                break
            writer.write(data)
            await writer.drain()

    try:
        await asyncio.gather(receive(), deliver())
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main(listen: int, target: int, delay: float) -> None:
    async def connection(client_reader, client_writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            relay(client_reader, server_writer, delay),
            relay(server_reader, client_writer, delay),
            return_exceptions=True,
        )

    server = await asyncio.start_server(connection, "127.0.0.1", listen)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--to", type=int, required=True)
    parser.add_argument("--delay-ms", type=float, required=True, help="one-way delay, each direction")
    args = parser.parse_args()
    asyncio.run(main(args.listen, args.to, args.delay_ms / 1000))

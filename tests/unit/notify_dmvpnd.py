#!/usr/bin/python3
# dmvpnd under a service manager: with NOTIFY_SOCKET at a datagram socket of
# ours, as systemd's Type=notify gives it, dmvpnd (in the network namespace
# NS, so UDP 500 is free) must say READY=1 once up, RELOADING=1 with
# MONOTONIC_USEC then READY=1 on SIGHUP (also when the new file does not
# load, and it keeps running), STOPPING=1 on SIGTERM and exit 0; a file
# that does not load at start must end it with status 1 and no READY=1.
#   notify_dmvpnd.py NS DMVPND SCRATCH-DIR      prints "N passed, N failed"
import os
import signal
import socket
import subprocess
import sys
import time

ns, dmvpnd, work = sys.argv[1:4]
passed = failed = 0
NOTHING = '(no message)'


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print('not ok - dmvpnd under NOTIFY_SOCKET: ' + what)


os.makedirs(work, exist_ok=True)
conf = os.path.join(work, 'dmvpnd.conf')
good = ('crypto isakmp policy 10\n encr aes\n authentication pre-share\n'
        'crypto isakmp key notify-test address 0.0.0.0 0.0.0.0\n')


def write_conf(text):
    with open(conf, 'w') as f:
        f.write(text)
    os.chmod(conf, 0o600)


path = os.path.join(work, 'notify')
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(10)	# dmvpnd's start is well under a second; this is a safety net


def recv():
    try:
        return sock.recv(4096).decode()
    except socket.timeout:
        return NOTHING


def start():
    return subprocess.Popen(
        ['ip', 'netns', 'exec', ns, dmvpnd, '-f', '-c', conf,
         '-s', os.path.join(work, 'ctl.sock'), '-S', os.path.join(work, 'state')],
        env=dict(os.environ, NOTIFY_SOCKET=path),
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, 'log'), 'w'))


write_conf(good)
d = start()
m = recv()
if m != 'READY=1' and d.poll() == 1:
    log = open(os.path.join(work, 'log')).read()
    if 'no crypto maps or VTIs' in log and 'no GRE protection' in log:
        print('skip - dmvpnd under NOTIFY_SOCKET: neither the mgre module nor XFRM here')
        print('0 passed, 0 failed')
        sys.exit(0)
check(m == 'READY=1', 'READY=1 after the start, got %r' % m)

before = time.monotonic_ns() // 1000
d.send_signal(signal.SIGHUP)
m = recv()
after = time.monotonic_ns() // 1000
lines = m.split('\n')
check(lines[0] == 'RELOADING=1' and len(lines) == 2 and lines[1].startswith('MONOTONIC_USEC='),
      'RELOADING=1 and MONOTONIC_USEC on SIGHUP, got %r' % m)
if len(lines) == 2 and lines[1].startswith('MONOTONIC_USEC='):
    usec = int(lines[1].split('=')[1])
    check(before <= usec <= after, 'MONOTONIC_USEC %d not within the reload (%d..%d)'
          % (usec, before, after))
m = recv()
check(m == 'READY=1', 'READY=1 after the reload, got %r' % m)

write_conf(good + 'crypto isakmp frobnicate\n')
d.send_signal(signal.SIGHUP)
m = recv()
check(m.startswith('RELOADING=1\n'), 'RELOADING=1 on a reload of a bad file, got %r' % m)
m = recv()
check(m == 'READY=1', 'READY=1 after a reload of a bad file, got %r' % m)
check(d.poll() is None, 'dmvpnd still running after a bad reload')

d.send_signal(signal.SIGTERM)
m = recv()
check(m == 'STOPPING=1', 'STOPPING=1 on SIGTERM, got %r' % m)
try:
    rc = d.wait(10)
except subprocess.TimeoutExpired:
    d.kill()
    rc = 'still running'
check(rc == 0, 'exit 0 after SIGTERM, got %s' % rc)

# a file that does not load: exit 1, never READY=1
d = start()
try:
    rc = d.wait(10)
except subprocess.TimeoutExpired:
    d.kill()
    rc = 'still running'
check(rc == 1, 'exit 1 for a file that does not load, got %s' % rc)
sock.settimeout(0.2)
m = recv()
check(m == NOTHING, 'no message for a failed start, got %r' % m)
log = open(os.path.join(work, 'log')).read()
check(conf + ':5:' in log, 'the failed start names FILE:LINE: %r' % log[-300:])

print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)

//! The user-space scheduling path of the Java benchmark (`SchedulingPathBenchmark.userSpacePath`),
//! done the way the seed does it: each 88-byte queued record is decoded from a ring laid out as the
//! kernel lays out a BPF RINGBUF into a `QueuedTask` struct, the deadline is updated, and the task
//! goes into a `BTreeSet` of `Task` structs ordered by (deadline, timestamp, pid); dispatching pops
//! the first one and encodes a 40-byte record into a USER_RINGBUF. A simulated kernel, the same as
//! the Java benchmark's, runs the dispatched tasks and queues them again, outside the timed part.
//!
//! Usage: seed-path [--held 16,256,4096] [--batch 1,8,64] [--iterations 5] [--warmup 3] [--ms 1000]
//!                  [--queue btree|fifo]
//! Prints one line per case: `held batch ns_per_task` (the median of the iterations), then the
//! iterations themselves, so that a script can read them. `--queue fifo` keeps the tasks in a
//! `VecDeque` in arrival order instead: what the path costs when ordering costs next to nothing.

use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Instant;

const HEADER: usize = 8;
const BUSY_BIT: u32 = 1 << 31;
const DISCARD_BIT: u32 = 1 << 30;
const QUEUED_SIZE: usize = 88;
const DISPATCHED_SIZE: usize = 40;
const CPU_ANY: i32 = 1 << 20;
const CPU_IDLE: i32 = CPU_ANY | 1;
const ENQ_WAKEUP: u64 = 1;
const FLAG_WAKE_DIRECT: u64 = 1 << 48;
const SLICE_NS: u64 = 20_000_000;
const SLICE_NS_MIN: u64 = 1_000_000;

fn span(length: usize) -> u64 {
    ((length + HEADER + 7) & !7) as u64
}

/// One ring's memory: consumer and producer positions and a power-of-two data area (not mapped
/// twice: a record that runs past the end is copied, as the Java side does).
struct Ring {
    consumer: AtomicU64,
    producer: AtomicU64,
    data: Vec<u64>,
    size: usize,
}

impl Ring {
    fn new(size: usize) -> Ring {
        Ring { consumer: AtomicU64::new(0), producer: AtomicU64::new(0), data: vec![0; size / 8], size }
    }
    fn base(&self) -> *mut u8 {
        self.data.as_ptr() as *mut u8
    }
    fn length_word(&self, offset: usize) -> &AtomicU32 {
        unsafe { &*(self.base().add(offset) as *const AtomicU32) }
    }
    fn copy_out(&self, offset: usize, to: &mut [u8]) {
        for (i, b) in to.iter_mut().enumerate() {
            *b = unsafe { *self.base().add((offset + i) & (self.size - 1)) };
        }
    }
    fn copy_in(&self, offset: usize, from: &[u8]) {
        for (i, b) in from.iter().enumerate() {
            unsafe { *self.base().add((offset + i) & (self.size - 1)) = *b };
        }
    }

    /// A producer's reserve + write + submit; `keep_one_free` for a kernel RINGBUF.
    fn write(&self, payload: &[u8], keep_one_free: bool) -> bool {
        let span = span(payload.len());
        let consumer = self.consumer.load(Ordering::Acquire);
        let producer = self.producer.load(Ordering::Acquire);
        let free = self.size as u64 - keep_one_free as u64 - (producer - consumer);
        if span > free {
            return false;
        }
        let header = (producer as usize) & (self.size - 1);
        self.length_word(header).store(payload.len() as u32 | BUSY_BIT, Ordering::Relaxed);
        unsafe { *(self.base().add(header + 4) as *mut u32) = 0 };
        self.producer.store(producer + span, Ordering::Release);
        let payload_offset = (header + HEADER) & (self.size - 1);
        if payload_offset + payload.len() <= self.size {
            unsafe { std::ptr::copy_nonoverlapping(payload.as_ptr(), self.base().add(payload_offset), payload.len()) };
        } else {
            self.copy_in(payload_offset, payload);
        }
        self.length_word(header).store(payload.len() as u32, Ordering::Release);
        true
    }

    /// A consumer's read + release of the next committed record into `to`; false when none.
    fn read(&self, to: &mut [u8]) -> bool {
        let mut consumer = self.consumer.load(Ordering::Acquire);
        let producer = self.producer.load(Ordering::Acquire);
        while producer > consumer {
            let header = (consumer as usize) & (self.size - 1);
            let word = self.length_word(header).load(Ordering::Acquire);
            if word & BUSY_BIT != 0 {
                return false;
            }
            let length = (word & !(BUSY_BIT | DISCARD_BIT)) as usize;
            let end = consumer + span(length);
            if end > producer {
                panic!("a record runs past the producer position");
            }
            if word & DISCARD_BIT != 0 || length < to.len() {
                consumer = end;
                self.consumer.store(consumer, Ordering::Release);
                continue;
            }
            let payload_offset = (header + HEADER) & (self.size - 1);
            if payload_offset + to.len() <= self.size {
                unsafe { std::ptr::copy_nonoverlapping(self.base().add(payload_offset), to.as_mut_ptr(), to.len()) };
            } else {
                self.copy_out(payload_offset, to);
            }
            self.consumer.store(end, Ordering::Release);
            return true;
        }
        false
    }
}

fn get_u64(b: &[u8], at: usize) -> u64 {
    u64::from_ne_bytes(b[at..at + 8].try_into().unwrap())
}
fn get_i32(b: &[u8], at: usize) -> i32 {
    i32::from_ne_bytes(b[at..at + 4].try_into().unwrap())
}
fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_ne_bytes());
}
fn put_i32(b: &mut [u8], at: usize, v: i32) {
    b[at..at + 4].copy_from_slice(&v.to_ne_bytes());
}

/// A queued task as user space keeps it (the seed's QueuedTask, with the comm the record carries).
#[derive(Debug, PartialEq, Eq, Clone)]
struct QueuedTask {
    pid: i32,
    cpu: i32,
    nr_cpus_allowed: u64,
    flags: u64,
    start_ts: u64,
    stop_ts: u64,
    exec_runtime: u64,
    weight: u64,
    vtime: u64,
    enq_cnt: u64,
    comm: [u8; 16],
}

impl QueuedTask {
    fn decode(b: &[u8]) -> QueuedTask {
        QueuedTask {
            pid: get_i32(b, 0),
            cpu: get_i32(b, 4),
            nr_cpus_allowed: get_u64(b, 8),
            flags: get_u64(b, 16),
            start_ts: get_u64(b, 24),
            stop_ts: get_u64(b, 32),
            exec_runtime: get_u64(b, 40),
            weight: get_u64(b, 48),
            vtime: get_u64(b, 56),
            enq_cnt: get_u64(b, 64),
            comm: b[72..88].try_into().unwrap(),
        }
    }
    fn encode(&self, b: &mut [u8]) {
        put_i32(b, 0, self.pid);
        put_i32(b, 4, self.cpu);
        put_u64(b, 8, self.nr_cpus_allowed);
        put_u64(b, 16, self.flags);
        put_u64(b, 24, self.start_ts);
        put_u64(b, 32, self.stop_ts);
        put_u64(b, 40, self.exec_runtime);
        put_u64(b, 48, self.weight);
        put_u64(b, 56, self.vtime);
        put_u64(b, 64, self.enq_cnt);
        b[72..88].copy_from_slice(&self.comm);
    }
}

struct DispatchedTask {
    pid: i32,
    cpu: i32,
    flags: u64,
    slice_ns: u64,
    vtime: u64,
    enq_cnt: u64,
}

impl DispatchedTask {
    fn new(task: &QueuedTask) -> DispatchedTask {
        DispatchedTask { pid: task.pid, cpu: task.cpu, flags: task.flags, slice_ns: 0, vtime: 0, enq_cnt: task.enq_cnt }
    }
    fn encode(&self, b: &mut [u8]) {
        put_i32(b, 0, self.pid);
        put_i32(b, 4, self.cpu);
        put_u64(b, 8, self.flags);
        put_u64(b, 16, self.slice_ns);
        put_u64(b, 24, self.vtime);
        put_u64(b, 32, self.enq_cnt);
    }
    fn decode(b: &[u8]) -> DispatchedTask {
        DispatchedTask {
            pid: get_i32(b, 0),
            cpu: get_i32(b, 4),
            flags: get_u64(b, 8),
            slice_ns: get_u64(b, 16),
            vtime: get_u64(b, 24),
            enq_cnt: get_u64(b, 32),
        }
    }
}

#[derive(Debug, PartialEq, Eq, Clone)]
struct Task {
    qtask: QueuedTask,
    deadline: u64,
    timestamp: u64,
}

impl Ord for Task {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.deadline
            .cmp(&other.deadline)
            .then_with(|| self.timestamp.cmp(&other.timestamp))
            .then_with(|| self.qtask.pid.cmp(&other.qtask.pid))
    }
}

impl PartialOrd for Task {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Where the user-space half keeps its tasks: the seed's ordered set, or arrival order.
trait TaskQueue: Default {
    fn insert(&mut self, task: Task);
    fn pop_first(&mut self) -> Option<Task>;
    fn len(&self) -> usize;
}

impl TaskQueue for BTreeSet<Task> {
    fn insert(&mut self, task: Task) {
        BTreeSet::insert(self, task);
    }
    fn pop_first(&mut self) -> Option<Task> {
        BTreeSet::pop_first(self)
    }
    fn len(&self) -> usize {
        BTreeSet::len(self)
    }
}

impl TaskQueue for VecDeque<Task> {
    fn insert(&mut self, task: Task) {
        self.push_back(task);
    }
    fn pop_first(&mut self) -> Option<Task> {
        self.pop_front()
    }
    fn len(&self) -> usize {
        VecDeque::len(self)
    }
}

/// The user-space half: the seed's drain_queued_tasks, update_enqueued and dispatch_task.
struct UserSpace<'a, Q: TaskQueue> {
    queued: &'a Ring,
    dispatched: &'a Ring,
    tasks: Q,
    vruntime_now: u64,
    clock: u64,
    record: [u8; QUEUED_SIZE],
}

impl<'a, Q: TaskQueue> UserSpace<'a, Q> {
    fn scale_by_task_weight(task: &QueuedTask, value: u64) -> u64 {
        value * task.weight / 100
    }
    fn scale_by_task_weight_inverse(task: &QueuedTask, value: u64) -> u64 {
        value * 100 / task.weight
    }

    fn update_enqueued(&mut self, task: &mut QueuedTask) -> u64 {
        task.vtime = if task.vtime == 0 {
            self.vruntime_now
        } else {
            let vruntime_min = self.vruntime_now.saturating_sub(SLICE_NS);
            task.vtime.max(vruntime_min)
        };
        let slice_ns = task.stop_ts.saturating_sub(task.start_ts);
        let vslice = Self::scale_by_task_weight_inverse(task, slice_ns);
        task.vtime += vslice;
        self.vruntime_now += vslice;
        task.vtime + task.exec_runtime.min(SLICE_NS.saturating_mul(100))
    }

    fn drain_queued_tasks(&mut self) {
        while self.queued.read(&mut self.record) {
            let mut task = QueuedTask::decode(&self.record);
            let deadline = self.update_enqueued(&mut task);
            self.clock += 1;
            let timestamp = self.clock;
            self.tasks.insert(Task { qtask: task, deadline, timestamp });
        }
    }

    fn dispatch_task(&mut self) -> bool {
        let Some(task) = self.tasks.pop_first() else {
            return true;
        };
        let mut dispatched = DispatchedTask::new(&task.qtask);
        dispatched.slice_ns = Self::scale_by_task_weight(&task.qtask, SLICE_NS_MIN);
        dispatched.vtime = task.deadline;
        dispatched.cpu = CPU_IDLE;
        if task.qtask.flags & ENQ_WAKEUP != 0 {
            dispatched.flags |= FLAG_WAKE_DIRECT;
        }
        let mut record = [0u8; DISPATCHED_SIZE];
        dispatched.encode(&mut record);
        if !self.dispatched.write(&record, false) {
            self.tasks.insert(task);
            return false;
        }
        true
    }

    fn round(&mut self, batch: usize) -> usize {
        self.drain_queued_tasks();
        let mut sent = 0;
        for _ in 0..batch {
            if !self.dispatch_task() {
                break;
            }
            sent += 1;
        }
        sent
    }
}

/// The kernel's half, as in the Java benchmark's SimulatedKernel.
struct Kernel<'a> {
    queued: &'a Ring,
    dispatched: &'a Ring,
    vtime: Vec<u64>,
    exec_runtime: Vec<u64>,
    enq_cnt: Vec<u64>,
    clock: u64,
    record: QueuedTask,
}

impl<'a> Kernel<'a> {
    fn is_cpu_bound(pid: i32) -> bool {
        pid % 4 == 0
    }
    fn runtime_of(pid: i32) -> u64 {
        if Self::is_cpu_bound(pid) { 5_000_000 } else { 50_000 + (pid as u64 * 7_919) % 450_000 }
    }
    fn weight_of(pid: i32) -> u64 {
        if pid % 10 == 0 { 200 } else if pid % 10 == 5 { 50 } else { 100 }
    }
    fn queue(&mut self, pid: i32, start_ts: u64, stop_ts: u64) {
        let p = pid as usize;
        self.enq_cnt[p] += 1;
        self.record.pid = pid;
        self.record.cpu = pid & 3;
        self.record.flags = 0;
        self.record.start_ts = start_ts;
        self.record.stop_ts = stop_ts;
        self.record.exec_runtime = self.exec_runtime[p];
        self.record.weight = Self::weight_of(pid);
        self.record.vtime = self.vtime[p];
        self.record.enq_cnt = self.enq_cnt[p];
        let mut bytes = [0u8; QUEUED_SIZE];
        self.record.encode(&mut bytes);
        if !self.queued.write(&bytes, true) {
            panic!("the queued ring is full: user space fell behind");
        }
    }
    fn run_dispatched(&mut self) -> usize {
        let mut bytes = [0u8; DISPATCHED_SIZE];
        let mut count = 0;
        while self.dispatched.read(&mut bytes) {
            let d = DispatchedTask::decode(&bytes);
            let p = d.pid as usize;
            self.vtime[p] = d.vtime;
            let used = Self::runtime_of(d.pid);
            let start = self.clock;
            self.clock += used;
            self.exec_runtime[p] = if Self::is_cpu_bound(d.pid) { self.exec_runtime[p] + used } else { used };
            self.queue(d.pid, start, self.clock);
            count += 1;
        }
        count
    }
}

fn list(arg: &str) -> Vec<usize> {
    arg.split(',').map(|s| s.trim().parse().expect("a comma-separated list of numbers")).collect()
}

/// Runs one case for `ms` per iteration and returns ns per task of each measured iteration.
fn run_case<Q: TaskQueue>(held: usize, batch: usize, warmup: usize, iterations: usize, ms: u64) -> Vec<f64> {
    let queued = Ring::new(512 * 1024);
    let dispatched = Ring::new(256 * 1024);
    let tasks = held + batch;
    let mut comm = [0u8; 16];
    comm[..10].copy_from_slice(b"bench-task");
    let record = QueuedTask {
        pid: 0, cpu: 0, nr_cpus_allowed: 4, flags: 0, start_ts: 0, stop_ts: 0, exec_runtime: 0,
        weight: 100, vtime: 0, enq_cnt: 0, comm,
    };
    let mut kernel = Kernel {
        queued: &queued, dispatched: &dispatched, vtime: vec![0; tasks + 1], exec_runtime: vec![0; tasks + 1],
        enq_cnt: vec![0; tasks + 1], clock: 0, record,
    };
    let mut user: UserSpace<Q> = UserSpace {
        queued: &queued, dispatched: &dispatched, tasks: Q::default(), vruntime_now: 0, clock: 0,
        record: [0; QUEUED_SIZE],
    };
    for pid in 1..=tasks as i32 {
        kernel.queue(pid, 0, 0);
    }
    user.drain_queued_tasks();
    for _ in 0..batch {
        user.dispatch_task();
    }
    let mut results = Vec::new();
    let mut sink = 0usize;
    for iteration in 0..warmup + iterations {
        let mut timed_ns: u128 = 0;
        let mut rounds: u64 = 0;
        let started = Instant::now();
        while started.elapsed().as_millis() < ms as u128 {
            kernel.run_dispatched();
            let t0 = Instant::now();
            sink += user.round(batch);
            timed_ns += t0.elapsed().as_nanos();
            rounds += 1;
        }
        if user.tasks.len() != held {
            panic!("the policy holds {} tasks, not {}", user.tasks.len(), held);
        }
        if iteration >= warmup {
            results.push(timed_ns as f64 / (rounds * batch as u64) as f64);
        }
    }
    std::hint::black_box(sink);
    results
}

fn main() {
    let mut held = vec![16, 256, 4096];
    let mut batch = vec![1, 8, 64];
    let (mut iterations, mut warmup, mut ms) = (5usize, 3usize, 1000u64);
    let mut fifo = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).unwrap_or_else(|| panic!("{} needs a value", args[i]));
        match args[i].as_str() {
            "--held" => held = list(value),
            "--batch" => batch = list(value),
            "--iterations" => iterations = value.parse().expect("a number"),
            "--warmup" => warmup = value.parse().expect("a number"),
            "--ms" => ms = value.parse().expect("a number"),
            "--queue" => fifo = match value.as_str() {
                "btree" => false,
                "fifo" => true,
                other => panic!("--queue is btree or fifo, not {other}"),
            },
            other => panic!("unknown option {other}"),
        }
        i += 2;
    }
    println!("# held batch ns_per_task(median) iterations...");
    for &h in &held {
        for &b in &batch {
            let mut r = if fifo {
                run_case::<VecDeque<Task>>(h, b, warmup, iterations, ms)
            } else {
                run_case::<BTreeSet<Task>>(h, b, warmup, iterations, ms)
            };
            let shown: Vec<String> = r.iter().map(|x| format!("{x:.2}")).collect();
            r.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!("{h} {b} {:.2} {}", r[r.len() / 2], shown.join(" "));
        }
    }
}

/**
 * The example ELT state machine the demo and the end-to-end tests run: create tables, load raw
 * orders, clean them, aggregate revenue per region and day, then read the top regions.
 *
 * Plain Redshift SQL that PostgreSQL also runs. Locally the "load" generates rows; on Redshift it
 * would be a COPY from S3 (generate_series runs on the leader node only there).
 */
import { definition, pass, resultTask, sqlTask, type StateMachineDefinition } from '../../modules/sfn';

export interface EltOptions {
  /** Orders the load step generates. @default 1000 */
  orders?: number;
  /** Rows the final read returns. @default 3 */
  topRegions?: number;
}

export function eltStateMachine(taskerArn: string, options: EltOptions = {}): StateMachineDefinition {
  const orders = options.orders ?? 1000;
  const top = options.topRegions ?? 3;
  return definition({
    comment: 'ELT: create tables, load, transform, aggregate, read a small result',
    timeoutSeconds: 900,
    states: [
      sqlTask(taskerArn, 'Create tables', {
        sqls: [
          'DROP TABLE IF EXISTS stg_orders',
          'DROP TABLE IF EXISTS orders_clean',
          'DROP TABLE IF EXISTS revenue_by_region_day',
          'CREATE TABLE stg_orders (order_id integer, region varchar(16), status varchar(16), amount_cents integer, ordered_at timestamp)',
          'CREATE TABLE orders_clean (order_id integer, region varchar(16), amount numeric(12,2), order_day date)',
          'CREATE TABLE revenue_by_region_day (region varchar(16), order_day date, orders integer, revenue numeric(14,2))',
        ],
        resultPath: '$.steps.createTables',
        next: 'Load raw orders',
      }),
      sqlTask(taskerArn, 'Load raw orders', {
        sql: `INSERT INTO stg_orders
  SELECT g,
         (ARRAY['north','south','east','west','central'])[1 + g % 5],
         CASE WHEN g % 17 = 0 THEN 'cancelled' ELSE 'paid' END,
         (g * 7919) % 20000 + 100,
         TIMESTAMP '2026-01-01' + (g % 7) * INTERVAL '1 day'
    FROM generate_series(1, :orders) AS g`,
        parameters: { orders: String(orders) },
        resultPath: '$.steps.load',
        next: 'Clean orders',
      }),
      sqlTask(taskerArn, 'Clean orders', {
        sql: `INSERT INTO orders_clean
  SELECT order_id, region, amount_cents / 100.0, CAST(ordered_at AS date)
    FROM stg_orders
   WHERE status <> 'cancelled'`,
        resultPath: '$.steps.clean',
        next: 'Aggregate revenue',
      }),
      sqlTask(taskerArn, 'Aggregate revenue', {
        sql: `INSERT INTO revenue_by_region_day
  SELECT region, order_day, COUNT(*), SUM(amount)
    FROM orders_clean
   GROUP BY region, order_day`,
        resultPath: '$.steps.aggregate',
        next: 'Query top regions',
      }),
      sqlTask(taskerArn, 'Query top regions', {
        sql: `SELECT region, SUM(orders) AS orders, SUM(revenue) AS revenue
    FROM revenue_by_region_day
   GROUP BY region
   ORDER BY revenue DESC
   LIMIT ${top}`,
        resultPath: '$.steps.query',
        next: 'Read top regions',
      }),
      resultTask(taskerArn, 'Read top regions', { resultPath: '$.result', next: 'Summarise' }),
      pass('Summarise', {
        parameters: {
          'loadedOrders.$': '$.steps.load.detail.rows',
          'cleanOrders.$': '$.steps.clean.detail.rows',
          'aggregateRows.$': '$.steps.aggregate.detail.rows',
          'topRegions.$': '$.result.Payload.Records',
          'columns.$': '$.result.Payload.ColumnMetadata[*].name',
        },
      }),
    ],
  });
}

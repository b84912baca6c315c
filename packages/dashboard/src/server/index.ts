export {
  DASHBOARD_CSP,
  defaultDashboardRoot,
  isApiPath,
  registerDashboard,
  type DashboardOptions,
} from './register-dashboard.js';

import { createApp } from 'vue';
import { ElLoading } from 'element-plus';
import 'element-plus/dist/index.css';
import './styles.css';
import App from './App.vue';
import { router } from './router';

const app = createApp(App);
app.use(router);
app.directive('loading', ElLoading.directive);

void router.isReady().then(() => {
  app.mount('#app');
  // The e2e run reads this mark to time the first screen from a cold cache.
  requestAnimationFrame(() => performance.mark('fundflow:interactive'));
});
